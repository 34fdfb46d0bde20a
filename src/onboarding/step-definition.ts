import type { z } from "zod";
import type { AppError } from "../errors/app-errors.js";
import type { JsonObject } from "./onboarding-record.js";
import type { DataStepNumber } from "./step-catalogue.js";

export interface StepUseContext {
  readonly userId: string;
  /** Providers whose keys the server's environment supplies (LOCAL_ENV_KEYS); never stored. */
  readonly environmentProviders: ReadonlySet<string>;
}

/**
 * What a wizard step tells the generic step routes: how its `data` is validated, what of it is
 * stored, when it is enough to complete, and what a client may see of it.
 */
export interface StepDefinition {
  readonly stepNumber: DataStepNumber;
  /** Validates the `data` of PUT /step/{n} and POST /step/{n}/complete. */
  readonly schema: z.ZodType<JsonObject>;
  /** The stored form of validated input, given what the step holds now (step 1 seals keys and keeps the others). */
  toStored(input: JsonObject, current: JsonObject | null, context: StepUseContext): JsonObject;
  /** Why the step cannot be completed with this data; empty when it can. */
  completionErrors(stored: JsonObject | null, context: StepUseContext): string[];
  /**
   * The error for an edit that would take this done step below its completion rule; without
   * one, 409 `step_done` (step 1 says `last_model_key`: its only rule is a model key).
   */
  readonly refuseUndoing?: (reasons: readonly string[]) => AppError;
  /** What a client sees of the stored data: never a secret. */
  present(stored: JsonObject | null): JsonObject | null;
  /** What a save of `input` saved, for the log line the old platform wrote (e.g. "Research preferences"). */
  describeSave(input: JsonObject): string[];
}

/** For steps whose stored form is what the client sent. */
export function plainStep(
  stepNumber: DataStepNumber,
  subject: string,
  schema: z.ZodType<JsonObject>,
  completionErrors: (stored: JsonObject | null) => string[] = (stored) => (stored === null ? ["save this step's data first"] : []),
): StepDefinition {
  return {
    stepNumber,
    schema,
    toStored: (input) => input,
    completionErrors,
    present: (stored) => stored,
    describeSave: () => [subject],
  };
}
