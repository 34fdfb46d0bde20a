import type { Env } from "./env-readers.js";
import { readString, readUrl } from "./env-readers.js";

import { MODEL_PROVIDERS, type ModelProvider } from "../onboarding/providers.js";


/** Where a key of one provider is sent, and which model it asks. */
export interface ModelProviderSetting {
  /** The API root the provider's paths are appended to (`…/v1`, Gemini's `…/v1beta`). */
  readonly baseUrl: URL;
  readonly model: string;
}

export type ModelProviderSettings = Readonly<Record<ModelProvider, ModelProviderSetting>>;

/** Each provider's public API and a current small model: what a user's key reaches when nothing is set. */
const DEFAULTS: ModelProviderSettings = {
  openai: { baseUrl: new URL("https://api.openai.com/v1"), model: "gpt-4.1-mini" },
  gemini: { baseUrl: new URL("https://generativelanguage.googleapis.com/v1beta"), model: "gemini-2.5-flash" },
  anthropic: { baseUrl: new URL("https://api.anthropic.com/v1"), model: "claude-haiku-4-5" },
  mistral: { baseUrl: new URL("https://api.mistral.ai/v1"), model: "mistral-small-latest" },
};

/** `<PROVIDER>_BASE_URL` (a gateway, or a local server in tests) and `<PROVIDER>_MODEL`; a bad URL names its variable. */
export function readModelProviderSettings(env: Env): ModelProviderSettings {
  const entries = MODEL_PROVIDERS.map((provider): [ModelProvider, ModelProviderSetting] => {
    const prefix = provider.toUpperCase();
    const fallback = DEFAULTS[provider];
    return [
      provider,
      Object.freeze({
        baseUrl: readUrl(env, `${prefix}_BASE_URL`, ["http:", "https:"]) ?? fallback.baseUrl,
        model: readString(env, `${prefix}_MODEL`) ?? fallback.model,
      }),
    ];
  });
  return Object.freeze(Object.fromEntries(entries) as Record<ModelProvider, ModelProviderSetting>);
}
