import type { z } from "zod";
import { MODEL_PROVIDERS, type ModelProvider } from "../onboarding/providers.js";
import type { JsonObject } from "../onboarding/onboarding-record.js";

/**
 * What made an enriched result (SPEC §6 `llm_provider`): a user's own key of one provider, the
 * server's LLM_* endpoint, or a provider key of the server's environment (LOCAL_ENV_KEYS).
 */
export type LlmSource = ModelProvider | "server" | "environment";
export const LLM_SOURCES = [...MODEL_PROVIDERS, "server", "environment"] as const satisfies readonly LlmSource[];

/**
 * A language model that answers with one JSON object. Steps 2 and 4 ask through this and
 * never know which provider or endpoint is behind it.
 */
export interface ChatClient {
  readonly source: LlmSource;
  /** The provider as a person names it ("Gemini"), for the sentences about its key. */
  readonly providerLabel: string;
  /** Throws an LlmUnavailable (refused, unreachable or a bad answer); callers fall back to the deterministic result. */
  completeJson(request: ChatJsonRequest): Promise<JsonObject>;
}

export interface ChatJsonRequest {
  readonly system: string;
  readonly user: string;
  /** The answer's shape: sent to the provider as its structured-output schema and checked on the answer. */
  readonly schema: z.ZodType<JsonObject>;
  /** Caps the wait; the caller's deterministic result is used when it runs out. */
  readonly timeoutMs?: number;
}

/**
 * Why the model gave nothing usable. The message is for the operator's log: it names the
 * provider and a status or error code, never a response body, a key or a URL with credentials.
 */
export class LlmUnavailable extends Error {
  constructor(reason: string) {
    super(`language model unavailable: ${reason}`);
    this.name = "LlmUnavailable";
  }
}

/** The provider refused the key (401/403; Gemini's 400 API_KEY_INVALID): the user can fix it in step 1. */
export class LlmKeyRefused extends LlmUnavailable {
  constructor(reason: string) {
    super(reason);
    this.name = "LlmKeyRefused";
  }
}

/** No answer: the network, a timeout, or a status that is not about the key (429, 5xx). */
export class LlmUnreachable extends LlmUnavailable {
  constructor(reason: string) {
    super(reason);
    this.name = "LlmUnreachable";
  }
}

/** An answer that is not the JSON object asked for, or larger than we read. */
export class LlmBadAnswer extends LlmUnavailable {
  constructor(reason: string) {
    super(reason);
    this.name = "LlmBadAnswer";
  }
}
