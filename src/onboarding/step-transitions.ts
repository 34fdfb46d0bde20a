import { CannotComplete, StepLocked, StepNotSkippable } from "../errors/app-errors.js";
import { stepOf, withStep, type JsonObject, type OnboardingRecord, type StepRecord } from "./onboarding-record.js";
import { FINAL_STEP, OPTIONAL_STEPS, STEP_CATALOGUE, STEP_NUMBERS, type StepNumber } from "./step-catalogue.js";
import { isLocked, missingForCompletion } from "./step-rules.js";

/**
 * Every change a user can make to their record, as pure functions of (record, now). Stores run
 * them inside their transaction, so a thrown error writes nothing.
 */

/** Saves a draft: the data replaces the step's data; a completed step stays completed. */
export function saveStepData(record: OnboardingRecord, stepNumber: StepNumber, data: JsonObject, now: string): OnboardingRecord {
  refuseIfLocked(record, stepNumber);
  const step = stepOf(record, stepNumber);
  const status = step.status === "completed" ? "completed" : "in_progress";
  return withStep(record, { ...step, status, data, validationErrors: [], updatedAt: now }, now);
}

/**
 * Completes a step, saving `data` first when given. `completionErrors` is the step's own rule
 * for "enough to complete" (e.g. step 1 needs an LLM key); a non-empty list refuses.
 */
export function completeStep(
  record: OnboardingRecord,
  stepNumber: StepNumber,
  data: JsonObject | undefined,
  completionErrors: (data: JsonObject | null) => string[],
  now: string,
): OnboardingRecord {
  refuseIfLocked(record, stepNumber);
  const step = stepOf(record, stepNumber);
  const next: StepRecord = data === undefined ? step : { ...step, data, updatedAt: now };
  const errors = completionErrors(next.data);
  if (errors.length > 0) {
    throw new CannotComplete(
      `Step ${stepNumber} (${STEP_CATALOGUE[stepNumber].title}) cannot be completed yet`,
      errors.map((message) => ({ path: "data", message })),
    );
  }
  const completedAt = step.status === "completed" && data === undefined ? step.completedAt : now;
  return withStep(record, { ...next, status: "completed", completedAt, validationErrors: [] }, now);
}

export function skipStep(record: OnboardingRecord, stepNumber: StepNumber, now: string): OnboardingRecord {
  if (!OPTIONAL_STEPS.includes(stepNumber)) {
    throw new StepNotSkippable(`Step ${stepNumber} (${STEP_CATALOGUE[stepNumber].title}) cannot be skipped; only step 5 is optional`);
  }
  refuseIfLocked(record, stepNumber);
  const step = stepOf(record, stepNumber);
  if (step.status === "completed") return record;
  return withStep(record, { ...step, status: "skipped", completedAt: now, validationErrors: [] }, now);
}

/** Idempotent: a second call keeps the first `completed_at`. */
export function completeOnboarding(record: OnboardingRecord, now: string): OnboardingRecord {
  if (record.completedAt !== null) return record;
  const missing = missingForCompletion(record);
  if (missing.length > 0) {
    throw new CannotComplete(
      `Onboarding cannot be completed: steps ${missing.join(", ")} are not done`,
      missing.map((n) => ({ path: `steps.${n}`, message: `${STEP_CATALOGUE[n].title} is not completed` })),
    );
  }
  const final = stepOf(record, FINAL_STEP);
  const completed = withStep(record, { ...final, status: "completed", completedAt: now }, now);
  return { ...completed, completedAt: now };
}

/** Soft reset: every step back to pending, data kept, completion cleared. */
export function resetProgress(record: OnboardingRecord, now: string): OnboardingRecord {
  return {
    ...record,
    updatedAt: now,
    completedAt: null,
    steps: STEP_NUMBERS.map((n) => ({ ...stepOf(record, n), status: "pending" as const, completedAt: null, validationErrors: [] })),
  };
}

/** Throws StepLocked naming the open earlier steps; also used by the routes that do expensive work before saving. */
export function refuseIfLocked(record: OnboardingRecord, stepNumber: StepNumber): void {
  if (!isLocked(record, stepNumber)) return;
  const open = record.steps.filter((s) => s.stepNumber < stepNumber && s.status !== "completed" && s.status !== "skipped");
  throw new StepLocked(
    `Step ${stepNumber} (${STEP_CATALOGUE[stepNumber].title}) is locked until steps ${open.map((s) => s.stepNumber).join(", ")} are completed or skipped`,
  );
}
