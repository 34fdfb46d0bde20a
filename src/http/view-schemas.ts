import { z } from "zod";
import type { util } from "zod/v4/core";
import type { StepNumber } from "../onboarding/step-catalogue.js";
import { isStorableText, UNSTORABLE_TEXT } from "../text/storable-text.js";
import { jsonProblem, MAX_JSON_DEPTH } from "./storable-json.js";

/** Response schemas: they document the API and guard what leaves it. */

export const errorSchema = z
  .object({
    detail: z.string(),
    code: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })),
  })
  .describe("The one error shape");

/** Any JSON value, checked without recursion past MAX_JSON_DEPTH and storable by both dialects. */
const storableJson = z.custom<util.JSONType>().superRefine((value, context) => {
  const problem = jsonProblem(value, MAX_JSON_DEPTH - 1);
  if (problem !== undefined) context.addIssue({ code: "custom", message: problem.message, path: [...problem.path] });
});

/**
 * Any JSON value (as z.json()), registered by id: the OpenAPI document then holds one
 * `JsonValue` component that its recursion refers to, where z.json() left dangling refs.
 */
export const jsonValue: z.ZodType<util.JSONType> = z
  .lazy(() => z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]))
  .meta({ id: "JsonValue", description: "Any JSON value" });

/** A JSON object as answers carry it. */
export const jsonObject = z.record(z.string(), jsonValue);

/** A JSON object as a request may send it: checked before zod's recursive JSON schema could overflow, and storable. */
export const storableJsonObject = z.record(z.string().refine(isStorableText, `a key ${UNSTORABLE_TEXT}`), storableJson);

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

export const VALIDATION_ERRORS_LIMITS = Object.freeze({ maxItems: 50, maxLength: 1000 });

/**
 * The old platform's request models carried `validation_errors` (its client always sends `[]`);
 * accepted so that client works, and ignored: the server decides what is valid.
 */
export const clientValidationErrors = z
  .array(z.string().max(VALIDATION_ERRORS_LIMITS.maxLength, `a validation error has at most ${VALIDATION_ERRORS_LIMITS.maxLength} characters`))
  .max(VALIDATION_ERRORS_LIMITS.maxItems, `at most ${VALIDATION_ERRORS_LIMITS.maxItems} validation errors`)
  .optional()
  .describe("Accepted for the old platform's client and ignored");

/**
 * Only the canonical decimal names a step: a coercion would also take `01`, `0x1`, `1e0`, `+1`
 * and ` 1`, and two spellings of one resource are two of everything (caches, logs, limits).
 */
export const stepParams = z.object({
  n: z
    .string()
    .regex(/^[1-6]$/, "the step number is 1-6")
    .transform((n) => Number(n) as StepNumber),
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
