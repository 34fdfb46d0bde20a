import { CannotComplete, StepDone, StepLocked, StepNotSkippable, type AppError } from "../errors/app-errors.js";
import { stepOf, withStep, type JsonObject, type OnboardingRecord, type StepRecord } from "./onboarding-record.js";
import { FINAL_STEP, OPTIONAL_STEPS, STEP_CATALOGUE, STEP_NUMBERS, type StepNumber } from "./step-catalogue.js";
import { isDone, isLocked, missingForCompletion } from "./step-rules.js";

/**
 * Every change a user can make to their record, as pure functions of (record, now). Stores run
 * them inside their transaction, so a thrown error writes nothing.
 */

/** A step's rule for "enough to complete": why `data` is not (empty when it is). */
export type CompletionErrors = (data: JsonObject | null) => string[];

/** The error that refuses an edit which would leave a done step short of its completion rule. */
export type UndoRefusal = (stepNumber: StepNumber, reasons: readonly string[]) => AppError;

export const refuseStepDone: UndoRefusal = (stepNumber, reasons) =>
  new StepDone(
    `${STEP_CATALOGUE[stepNumber].title} is already done and stays done, so this change was not saved: ${reasons.join("; ")}`,
    reasons.map((message) => ({ path: "data", message })),
  );

/**
 * Saves a draft (`data` null clears the step's data). A status never goes down by an edit
 * (SPEC §4): a pending or in-progress step becomes in progress; a completed or skipped step
 * stays done, so the new data must meet its completion rule (else `refuse`, nothing saved), and
 * a skipped step whose data meets it becomes completed. Every route's draft comes through here.
 * Storage tests that never edit a done step may leave out the rule.
 */
export function saveStepData(
  record: OnboardingRecord,
  stepNumber: StepNumber,
  data: JsonObject | null,
  now: string,
  completionErrors: CompletionErrors = () => [],
  refuse: UndoRefusal = refuseStepDone,
): OnboardingRecord {
  refuseIfLocked(record, stepNumber);
  const step = stepOf(record, stepNumber);
  if (!isDone(step)) return withStep(record, { ...step, status: data === null ? step.status : "in_progress", data, validationErrors: [], updatedAt: now }, now);
  refuseUndoing(stepNumber, completionErrors(data), refuse);
  const completedAt = step.status === "completed" ? step.completedAt : now;
  return withStep(record, { ...step, status: "completed", completedAt, data, validationErrors: [], updatedAt: now }, now);
}

function refuseUndoing(stepNumber: StepNumber, reasons: readonly string[], refuse: UndoRefusal): void {
  if (reasons.length > 0) throw refuse(stepNumber, reasons);
}

/**
 * Completes a step, saving `data` first when given. `completionErrors` is the step's own rule
 * for "enough to complete" (e.g. step 1 needs an LLM key); a non-empty list refuses.
 */
export function completeStep(
  record: OnboardingRecord,
  stepNumber: StepNumber,
  data: JsonObject | undefined,
  completionErrors: CompletionErrors,
  now: string,
  refuse: UndoRefusal = refuseStepDone,
): OnboardingRecord {
  refuseIfLocked(record, stepNumber);
  const step = stepOf(record, stepNumber);
  const next: StepRecord = data === undefined ? step : { ...step, data, updatedAt: now };
  const errors = completionErrors(next.data);
  // A done step keeps its status: the same refusal as a draft that would undo it.
  if (isDone(step)) refuseUndoing(stepNumber, errors, refuse);
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
