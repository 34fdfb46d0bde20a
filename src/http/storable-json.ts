import { isStorableText, UNSTORABLE_TEXT } from "../text/storable-text.js";

/**
 * Deeper than any step's data needs. zod checks `z.json()` recursively, so without a bound a
 * body of 20 000 nested objects (well under 1 MiB) exhausted the stack and answered 500.
 */
export const MAX_JSON_DEPTH = 64;

export interface JsonProblem {
  /** Where in the value, e.g. ["api_keys", "openai"]. */
  readonly path: readonly string[];
  readonly message: string;
}

/** What makes `value` not storable JSON at most `depthLeft` containers deep, or undefined; never recurses past the bound. */
export function jsonProblem(value: unknown, depthLeft: number): JsonProblem | undefined {
  const here = (message: string): JsonProblem => ({ path: [], message });
  if (value === null || typeof value === "boolean") return undefined;
  if (typeof value === "string") return isStorableText(value) ? undefined : here(UNSTORABLE_TEXT);
  if (typeof value === "number") return Number.isFinite(value) ? undefined : here("must be a finite number");
  if (typeof value !== "object") return here("must be JSON");
  if (depthLeft === 0) return here(`must be JSON nested at most ${MAX_JSON_DEPTH} levels deep`);
  for (const [key, child] of Object.entries(value)) {
    if (!isStorableText(key)) return here(`has a key that ${UNSTORABLE_TEXT}`);
    const problem = jsonProblem(child, depthLeft - 1);
    if (problem !== undefined) return { path: [key, ...problem.path], message: problem.message };
  }
  return undefined;
}
