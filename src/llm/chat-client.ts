import type { JsonObject } from "../onboarding/onboarding-record.js";

/**
 * A language model that answers with one JSON object. Steps 2 and 4 ask through this and
 * never know which provider or endpoint is behind it.
 */
export interface ChatClient {
  /** Throws LlmUnavailable on a transport, status or format failure; callers fall back to the deterministic result. */
  completeJson(request: ChatJsonRequest): Promise<JsonObject>;
}

export interface ChatJsonRequest {
  readonly system: string;
  readonly user: string;
  /** Caps the wait; the caller's deterministic result is used when it runs out. */
  readonly timeoutMs?: number;
}

export class LlmUnavailable extends Error {
  constructor(reason: string) {
    super(`language model unavailable: ${reason}`);
    this.name = "LlmUnavailable";
  }
}
