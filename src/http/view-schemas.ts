import { z } from "zod";
import type { util } from "zod/v4/core";

/** Response schemas: they document the API and guard what leaves it. */

export const errorSchema = z
  .object({
    detail: z.string(),
    code: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })),
  })
  .describe("The one error shape");

/**
 * Deeper than any step's data needs. zod checks `z.json()` recursively, so without a bound a
 * body of 20 000 nested objects (well under 1 MiB) exhausted the stack and answered 500.
 */
export const MAX_JSON_DEPTH = 64;

/** Whether `value` is JSON at most `depthLeft` containers deep; never recurses past the bound. */
function isJsonWithin(value: unknown, depthLeft: number): boolean {
  if (value === null || typeof value === "string" || typeof value === "boolean") return true;
  if (typeof value === "number") return Number.isFinite(value);
  if (typeof value !== "object" || depthLeft === 0) return false;
  const children: unknown[] = Array.isArray(value) ? value : Object.values(value);
  return children.every((child) => isJsonWithin(child, depthLeft - 1));
}

const boundedJson = z.custom<util.JSONType>(
  (value) => isJsonWithin(value, MAX_JSON_DEPTH - 1),
  `must be JSON nested at most ${MAX_JSON_DEPTH} levels deep`,
);

export const jsonObject = z.record(z.string(), boundedJson);

export const stepViewSchema = z.object({
  step_number: z.number().int(),
  title: z.string(),
  description: z.string(),
  status: z.enum(["pending", "in_progress", "completed", "skipped", "failed"]),
  completed_at: z.string().nullable(),
  data: jsonObject.nullable(),
  validation_errors: z.array(z.string()),
});

export const statusViewSchema = z.object({
  is_completed: z.boolean(),
  current_step: z.number().int(),
  completion_percentage: z.number(),
  next_step: z.number().int().nullable(),
  started_at: z.string().nullable(),
  completed_at: z.string().nullable(),
  can_proceed_to_final: z.boolean(),
});

export const progressViewSchema = z.object({
  steps: z.array(stepViewSchema),
  current_step: z.number().int(),
  started_at: z.string().nullable(),
  last_updated: z.string().nullable(),
  is_completed: z.boolean(),
  completed_at: z.string().nullable(),
  completion_percentage: z.number(),
});

export const stepParams = z.object({
  n: z.coerce.number().int("the step number is 1-6").min(1, "the step number is 1-6").max(6, "the step number is 1-6"),
});

/** Errors every authenticated route may answer with. */
export const commonErrors = {
  400: errorSchema,
  401: errorSchema,
  409: errorSchema,
  413: errorSchema,
  415: errorSchema,
  503: errorSchema,
} as const;
