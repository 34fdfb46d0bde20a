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

/** What went wrong, in the terms a person can act on; the message (for the log) says exactly what. */
export type LlmFailureKind = "unreachable" | "timeout" | "refused" | "error" | "bad_answer";

/**
 * The model could not be used. `message` names the endpoint and the failure for the operator's
 * log; a person is told only `kind`, in words (llmFailureForPeople): never the URL, host or code.
 */
export class LlmUnavailable extends Error {
  readonly kind: LlmFailureKind;

  constructor(reason: string, kind: LlmFailureKind = "unreachable") {
    super(`language model unavailable: ${reason}`);
    this.name = "LlmUnavailable";
    this.kind = kind;
  }
}

const FOR_PEOPLE: Record<LlmFailureKind, string> = {
  unreachable: "the language model could not be reached",
  timeout: "the language model did not answer in time",
  refused: "the language model refused the key (you can replace it in step 1)",
  error: "the language model answered with an error",
  bad_answer: "the language model's answer could not be used",
};

/** Why the model was not used, as a clause for a person (no URL, host, status or code). */
export function llmFailureForPeople(error: unknown): string {
  return error instanceof LlmUnavailable ? FOR_PEOPLE[error.kind] : "the language model could not be used";
}
