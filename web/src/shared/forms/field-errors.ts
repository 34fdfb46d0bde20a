import type { FieldProblem } from "@/shared/api/api-client";

export interface PlacedErrors {
  /** Field name → the first message about it. */
  readonly byField: Readonly<Record<string, string>>;
  /** What names no field of the form: shown in the page's one alert region. */
  readonly elsewhere: readonly string[];
}

/**
 * Puts each problem at the form field its path names: the step routes' `data.` prefix dropped,
 * then the longest field that is the path or contains it (`data.content_types.2` → `content_types`).
 * `renamed` maps the paths of a route whose body is not the step's payload (POST /api-keys's
 * `api_key`) to the field they are about. Client-side checks (the same zod schemas) and 400s of
 * the API go through here alike.
 */
export function placeErrors(
  problems: readonly FieldProblem[],
  fields: readonly string[],
  renamed: Readonly<Record<string, string>> = {},
): PlacedErrors {
  const byField: Record<string, string> = {};
  const elsewhere: string[] = [];
  for (const problem of problems) {
    const path = renamed[problem.path] ?? problem.path.replace(/^data\./, "");
    const field = fieldOf(path, fields);
    if (field === undefined) elsewhere.push(sentence(problem.message));
    else byField[field] ??= sentence(problem.message);
  }
  return { byField, elsewhere };
}

function fieldOf(path: string, fields: readonly string[]): string | undefined {
  return fields
    .filter((field) => path === field || path.startsWith(`${field}.`))
    .sort((a, b) => b.length - a.length)[0];
}

/** The API writes messages as clauses ("an API key has at least 8 characters"); a form shows sentences. */
export function sentence(message: string): string {
  const text = message.trim();
  if (text === "") return text;
  return text[0]!.toUpperCase() + text.slice(1) + (/[.!?]$/.test(text) ? "" : ".");
}
