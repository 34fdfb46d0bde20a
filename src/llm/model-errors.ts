import { LlmBadAnswer, LlmKeyRefused, LlmUnavailable, LlmUnreachable } from "./chat-client.js";
import { ResponseTooLarge } from "./capped-fetch.js";
import type { ProviderProtocol } from "./provider-model.js";

/**
 * Whether a provider's error status says the key itself is wrong. 401/403 everywhere; Gemini
 * answers a key it does not know with 400 and the reason API_KEY_INVALID. The body is read for
 * that reason only and never repeated.
 */
export function isKeyRefusal(protocol: ProviderProtocol, status: number, body: string | undefined): boolean {
  if (status === 401 || status === 403) return true;
  return protocol === "gemini" && status === 400 && (body ?? "").includes("API_KEY_INVALID");
}

/** The names of the SDK's errors about an answer's content (as opposed to its transport). */
const BAD_ANSWER_ERRORS = new Set([
  "AI_NoObjectGeneratedError",
  "AI_NoOutputGeneratedError",
  "AI_NoContentGeneratedError",
  "AI_JSONParseError",
  "AI_TypeValidationError",
  "AI_InvalidResponseDataError",
  "AI_EmptyResponseBodyError",
]);

/**
 * Maps whatever the SDK threw into our three kinds. The messages name the provider, a status
 * or an error code, never a response body, a key or a URL: the SDK's own messages may quote all three.
 */
export function toLlmError(error: unknown, protocol: ProviderProtocol, label: string, timedOut: { aborted: boolean; timeoutMs: number }): LlmUnavailable {
  if (error instanceof LlmUnavailable) return error;
  const chain = causes(error);
  if (chain.some((e) => e instanceof ResponseTooLarge)) return new LlmBadAnswer(`${label} answered with more bytes than we read`);
  if (timedOut.aborted) return new LlmUnreachable(`${label} did not answer within ${timedOut.timeoutMs} ms`);
  const call = chain.find(isApiCallError);
  if (call?.statusCode !== undefined) {
    const status = call.statusCode;
    // The SDK reports a 2xx body it cannot read as a call error: the answer is at fault, not the transport.
    if (status >= 200 && status < 300) return new LlmBadAnswer(`${label}'s answer was not in its protocol's format`);
    if (isKeyRefusal(protocol, status, call.responseBody)) return new LlmKeyRefused(`${label} refused the key (HTTP ${status})`);
    return new LlmUnreachable(`${label} answered HTTP ${status}`);
  }
  const named = chain.find((e) => e instanceof Error && BAD_ANSWER_ERRORS.has(e.name));
  if (named instanceof Error) return new LlmBadAnswer(`${label}'s answer was not the JSON object asked for (${named.name.replace(/^AI_/, "")})`);
  return new LlmUnreachable(`could not reach ${label}${codeOf(chain)}`);
}

/** The SDK's APICallError, known by name so that this module does not load the SDK at start. */
interface ApiCallFailure {
  readonly statusCode?: number;
  readonly responseBody?: string;
}

function isApiCallError(error: unknown): error is ApiCallFailure {
  return error instanceof Error && error.name === "AI_APICallError";
}

/** The error and its causes (the SDK and undici wrap), at most a few deep. */
function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current = error;
  while (current !== undefined && current !== null && chain.length < 6) {
    chain.push(current);
    const inner = current as { cause?: unknown; lastError?: unknown };
    current = inner.lastError ?? inner.cause;
  }
  return chain;
}

/** A system error code (ECONNREFUSED, ENOTFOUND…) is safe to log; the texts around it can carry addresses. */
function codeOf(chain: readonly unknown[]): string {
  for (const e of chain) {
    const code = (e as { code?: unknown } | null)?.code;
    if (typeof code === "string" && /^[A-Z0-9_]+$/.test(code)) return ` (${code})`;
  }
  return "";
}
