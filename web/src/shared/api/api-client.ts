import { reportUnauthorized } from "@/shared/api/unauthorized";
import { getToken } from "@/shared/auth/session-token";

/** One problem with one field of a request, as SPEC §4 names it (`data.research_depth`). */
export interface FieldProblem {
  readonly path: string;
  readonly message: string;
}

/** An answer other than 2xx, read from the API's one error body `{detail, code, errors}`. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly errors: readonly FieldProblem[];

  constructor(status: number, code: string, detail: string, errors: readonly FieldProblem[] = []) {
    super(detail);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.errors = errors;
  }
}

/**
 * Where the API is: VITE_API_BASE_URL when the page was built for a host of its own (SPEC §10; the
 * API must then allow this page's origin in CORS_ORIGINS), otherwise the page's own origin.
 */
const API_BASE_URL = import.meta.env.VITE_API_BASE_URL ?? "";

const UNREACHABLE = "The server cannot be reached. Check your connection and try again.";

/** Every call of the page goes through here: the session token, JSON both ways, errors as ApiError. */
export async function apiRequest<T>(method: "GET" | "POST" | "PUT" | "DELETE", path: string, body?: unknown): Promise<T> {
  let token: string | null;
  try {
    token = await getToken();
  } catch {
    // Clerk's getToken() throws when the browser is offline (Clerk Core 3): the same sentence as a failed fetch.
    throw new ApiError(0, "unreachable", UNREACHABLE);
  }
  const headers: Record<string, string> = { accept: "application/json" };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers["content-type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(`${API_BASE_URL}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  } catch {
    throw new ApiError(0, "unreachable", UNREACHABLE);
  }
  if (response.status === 204) return undefined as T;
  const answer: unknown = await response.json().catch(() => null);
  if (response.status === 401) reportUnauthorized();
  if (!response.ok) throw errorFrom(response, answer);
  return answer as T;
}

function errorFrom(response: Response, answer: unknown): ApiError {
  const body = (typeof answer === "object" && answer !== null ? answer : {}) as { detail?: unknown; code?: unknown; errors?: unknown };
  const detail = typeof body.detail === "string" ? body.detail : fallbackSentence(response.status);
  const code = typeof body.code === "string" ? body.code : "http_" + response.status;
  const errors = Array.isArray(body.errors)
    ? body.errors.filter((e): e is FieldProblem => typeof e?.path === "string" && typeof e?.message === "string")
    : [];
  return new ApiError(response.status, code, detail, errors);
}

/**
 * An answer without the API's error body (a proxy's page, a gateway's timeout): a sentence for a
 * person, never the status line (SPEC §10).
 */
function fallbackSentence(status: number): string {
  if (status === 404) return "We could not find what this page asked for. Reload the page and try again.";
  if (status === 429) return "Too many requests in a short time. Wait a moment, then try again.";
  if (status >= 500) return "Something went wrong on our side. Please try again in a moment.";
  return "That did not work. Reload the page and try again.";
}

/** The onboarding API's base path (SPEC §4). */
export const ONBOARDING = "/api/onboarding";
