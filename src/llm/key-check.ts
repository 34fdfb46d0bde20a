import type { ModelProvider } from "../onboarding/providers.js";
import { isKeyRefusal } from "./model-errors.js";
import { apiRoot } from "./provider-model.js";

import type { KeyCheckStatus } from "./key-check-status.js";

export interface KeyCheck {
  readonly status: KeyCheckStatus;
  /** For the operator's log: a status or an error code, never a body or the key. */
  readonly reason: string;
}

export interface KeyCheckCall {
  readonly provider: ModelProvider;
  readonly apiKey: string;
  readonly baseUrl: URL;
  /** The capped fetch on our dispatcher, as the model calls use. */
  readonly fetch: typeof globalThis.fetch;
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** The Messages API version our Anthropic calls speak (the SDK sends the same). */
const ANTHROPIC_VERSION = "2023-06-01";

/**
 * The provider's cheapest authenticated call, its model list (SPEC §6 Check key): costs no
 * tokens, and answers 401/403 (Gemini: 400 API_KEY_INVALID) for a key it does not accept.
 */
export async function checkModelKey(call: KeyCheckCall): Promise<KeyCheck> {
  const timeoutMs = call.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let response: Response;
  try {
    response = await call.fetch(`${apiRoot(call.baseUrl)}/models`, {
      method: "GET",
      headers: { accept: "application/json", ...authHeaders(call.provider, call.apiKey) },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const code = (error as { code?: unknown; name?: unknown } | null)?.code ?? (error as { name?: unknown } | null)?.name;
    return { status: "unreachable", reason: `no answer from the model list${typeof code === "string" && /^[A-Za-z0-9_]+$/.test(code) ? ` (${code})` : ""}` };
  }
  if (response.ok) return { status: "valid", reason: `HTTP ${response.status}` };
  const body = await response.text();
  if (isKeyRefusal(call.provider, response.status, body)) return { status: "refused", reason: `HTTP ${response.status}` };
  return { status: "unreachable", reason: `HTTP ${response.status}` };
}

/** Each provider's own way of carrying a key, as its SDK package sends it. */
function authHeaders(provider: ModelProvider, apiKey: string): Record<string, string> {
  switch (provider) {
    case "openai":
    case "mistral":
      return { authorization: `Bearer ${apiKey}` };
    case "gemini":
      return { "x-goog-api-key": apiKey };
    case "anthropic":
      return { "x-api-key": apiKey, "anthropic-version": ANTHROPIC_VERSION };
  }
}
