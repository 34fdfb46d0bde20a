import type { z } from "zod";
import { ValidationFailed } from "../errors/app-errors.js";
import { fieldErrors } from "./field-errors.js";

/** Validates at the edge: a failure names every bad field by its path under `root` (e.g. `data.research_depth`). */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, root: string, what = "The request"): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors = fieldErrors(result.error.issues, root === "" ? [] : [root]);
  throw new ValidationFailed(`${what} is not valid: ${errors.map((e) => `${e.path}: ${e.message}`).join("; ")}`, errors);
}
