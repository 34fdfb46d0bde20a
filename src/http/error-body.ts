import type { FieldError } from "../errors/app-errors.js";

/** SPEC §4's one error shape. */
export interface ErrorBody {
  readonly detail: string;
  readonly code: string;
  readonly errors: readonly FieldError[];
}

export function errorBody(detail: string, code: string, errors: readonly FieldError[] = []): ErrorBody {
  return { detail, code, errors };
}
