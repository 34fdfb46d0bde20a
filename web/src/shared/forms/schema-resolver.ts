import { set, type FieldErrors, type FieldValues, type Resolver } from "react-hook-form";
import type { z } from "zod";
import { placeErrors } from "@/shared/forms/field-errors";

/**
 * A react-hook-form resolver from one of the server's step schemas (src/steps/*-schema.ts): the
 * form's values become the payload the API receives (`toPayload`), and the very schema the API
 * validates with decides, so the page holds no rule of its own. Problems land on the form's
 * `fields` as the API's 400s do (placeErrors); the rest in `root.schema`.
 */
export function schemaResolver<Values extends FieldValues>(
  schema: z.ZodType,
  fields: readonly string[],
  toPayload: (values: Values) => unknown,
): Resolver<Values> {
  return (values) => {
    const result = schema.safeParse(toPayload(values));
    if (result.success) return { values, errors: {} };
    const placed = placeErrors(
      result.error.issues.map((issue) => ({ path: issue.path.map(String).join("."), message: issue.message })),
      fields,
    );
    const errors: FieldErrors<Values> = {};
    for (const [field, message] of Object.entries(placed.byField)) set(errors, field, { type: "schema", message });
    if (placed.elsewhere.length > 0) set(errors, "root.schema", { type: "schema", message: placed.elsewhere.join(" ") });
    return { values: {}, errors };
  };
}
