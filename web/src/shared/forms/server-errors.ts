import { get, type FieldErrors, type FieldValues, type Path, type UseFormReturn } from "react-hook-form";
import { ApiError } from "@/shared/api/api-client";
import { placeErrors } from "@/shared/forms/field-errors";

const UNEXPECTED = "Something went wrong on our side. Please try again.";

/**
 * Shows a failed request on the form: each `errors[].path` at its field (focused, first one
 * first), anything else in the form's alert (`root.server`). A 401 never gets here: it signs
 * the user out (app/session).
 */
export function showServerError<Values extends FieldValues>(
  form: UseFormReturn<Values>,
  error: unknown,
  fields: readonly string[],
  renamed: Readonly<Record<string, string>> = {},
): void {
  if (!(error instanceof ApiError)) {
    form.setError("root.server", { type: "server", message: UNEXPECTED });
    return;
  }
  const placed = placeErrors(error.errors, fields, renamed);
  Object.entries(placed.byField).forEach(([field, message], index) =>
    form.setError(field as Path<Values>, { type: "server", message }, { shouldFocus: index === 0 }),
  );
  const placedAny = Object.keys(placed.byField).length > 0;
  const rest = placed.elsewhere.length > 0 ? placed.elsewhere.join(" ") : placedAny ? null : error.message;
  if (rest !== null) form.setError("root.server", { type: "server", message: rest });
}

/** The message for the form's alert region: the server's, else the schema's. */
export function formAlert(errors: FieldErrors): string | undefined {
  const root = errors.root as Record<string, { message?: string }> | undefined;
  return root?.server?.message ?? root?.schema?.message;
}

/** The message shown at one field, if any. */
export function fieldError(errors: FieldErrors, name: string): string | undefined {
  const message: unknown = (get(errors, name) as { message?: unknown } | undefined)?.message;
  return typeof message === "string" ? message : undefined;
}
