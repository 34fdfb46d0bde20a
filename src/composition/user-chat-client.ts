import type { Config } from "../config/config.js";
import { MODEL_PROVIDERS, type ModelProvider } from "../onboarding/providers.js";
import { apiKeyContext, type SecretCipher } from "../crypto/secret-cipher.js";
import { AiSdkChatClient } from "../llm/ai-sdk-chat-client.js";
import { cappedFetch } from "../llm/capped-fetch.js";
import type { ChatClient } from "../llm/chat-client.js";
import type { OutboundAgent } from "../net/outbound-agent.js";
import type { OnboardingRecord } from "../onboarding/onboarding-record.js";
import { storedKeys } from "../steps/api-keys/api-keys-definition.js";
import { preferredProviderOf } from "../steps/api-keys/api-keys-schema.js";
import { environmentKey } from "../steps/api-keys/environment-keys.js";
import { PROVIDER_GUIDES } from "../steps/api-keys/provider-guide.js";

export type ChatClientFor = (userId: string, record: OnboardingRecord | null) => ChatClient | undefined;

export interface ChatClientSources {
  readonly config: Pick<Config, "llm" | "modelProviders" | "localEnvKeys">;
  readonly cipher: SecretCipher;
  readonly agent: OutboundAgent;
  /** LOCAL_ENV_KEYS: where `<PROVIDER>_API_KEY` is read at each call (process.env and the working directory's .env). */
  readonly environment?: { readonly env: NodeJS.ProcessEnv; readonly workingDir: string };
}

/**
 * Which model drives a user's analysis and persona (SPEC §6): the user's own key (step 1's
 * `preferred_provider`, else the first of openai, gemini, anthropic, mistral saved), then the
 * server's LLM_* (OpenAI-compatible), then with LOCAL_ENV_KEYS a provider key of the server's
 * environment; without any, undefined and the engines stay deterministic. Each call makes a new
 * client holding only this user's opened key: nothing is cached or put in the process environment.
 */
export function chatClientFor(sources: ChatClientSources): ChatClientFor {
  const { config, cipher } = sources;
  const fetch = cappedFetch({ dispatcher: () => sources.agent.dispatcher() });
  return (userId, record) => {
    const stepOne = record?.steps[0]?.data ?? null;
    const own = userModelKey(cipher, userId, record);
    if (own !== undefined) {
      const { baseUrl, model } = config.modelProviders[own.provider];
      return new AiSdkChatClient({ source: own.provider, providerLabel: labelOf(own.provider), protocol: own.provider, apiKey: own.apiKey, baseUrl, model, fetch });
    }
    if (config.llm.apiKey !== undefined) {
      const baseUrl = config.llm.baseUrl ?? config.modelProviders.openai.baseUrl;
      const model = config.llm.model ?? config.modelProviders.openai.model;
      return new AiSdkChatClient({ source: "server", providerLabel: "the server's language model", protocol: "openai-compatible", apiKey: config.llm.apiKey, baseUrl, model, fetch });
    }
    if (!config.localEnvKeys || sources.environment === undefined) return undefined;
    const { env, workingDir } = sources.environment;
    for (const provider of preferenceOrder(preferredProviderOf(stepOne))) {
      const apiKey = environmentKey(env, workingDir, provider);
      if (apiKey === undefined) continue;
      const { baseUrl, model } = config.modelProviders[provider];
      return new AiSdkChatClient({ source: "environment", providerLabel: labelOf(provider), protocol: provider, apiKey, baseUrl, model, fetch });
    }
    return undefined;
  };
}

/** The user's own key that drives the model, opened for this call only. */
export function userModelKey(cipher: SecretCipher, userId: string, record: OnboardingRecord | null): { provider: ModelProvider; apiKey: string } | undefined {
  const stepOne = record?.steps[0]?.data ?? null;
  const saved = storedKeys(stepOne);
  const provider = preferenceOrder(preferredProviderOf(stepOne)).find((p) => saved[p] !== undefined);
  if (provider === undefined) return undefined;
  return { provider, apiKey: openSavedKey(cipher, userId, provider, stepOne) as string };
}

/** One saved key in clear, for the one call that sends it; undefined when none is saved. */
export function openSavedKey(cipher: SecretCipher, userId: string, provider: string, stepOne: Parameters<typeof storedKeys>[0]): string | undefined {
  const sealed = storedKeys(stepOne)[provider];
  if (sealed === undefined) return undefined;
  return cipher.open({ ciphertext: sealed.ciphertext, keyVersion: sealed.key_version }, apiKeyContext(userId, provider));
}

function preferenceOrder(preferred: ModelProvider | undefined): ModelProvider[] {
  return preferred === undefined ? [...MODEL_PROVIDERS] : [preferred, ...MODEL_PROVIDERS.filter((p) => p !== preferred)];
}

export function labelOf(provider: ModelProvider): string {
  return PROVIDER_GUIDES[provider].label;
}
