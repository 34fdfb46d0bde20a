import type { OnboardingRecord, StepRecord } from "./onboarding-record.js";
import { FINAL_STEP, STEP_NUMBERS, type StepNumber } from "./step-catalogue.js";

/**
 * The one rule for every route: each rule of SPEC §4 lives here and nowhere else. The web page
 * applies the same functions to what the API answers (hence the narrow parameter types).
 */

type StepState = Pick<StepRecord, "stepNumber" | "status">;

export function isDone(step: Pick<StepRecord, "status">): boolean {
  return step.status === "completed" || step.status === "skipped";
}

/** A step is locked until every lower step is completed or skipped. */
export function isLocked(record: { readonly steps: readonly StepState[] }, stepNumber: StepNumber): boolean {
  return record.steps.some((step) => step.stepNumber < stepNumber && !isDone(step));
}

/** (completed + skipped) / 6 × 100, rounded to one decimal. */
export function completionPercentage(record: OnboardingRecord): number {
  const done = record.steps.filter(isDone).length;
  return Math.round((done / STEP_NUMBERS.length) * 1000) / 10;
}

/** The first step not completed or skipped; 6 once 1-5 are done. */
export function currentStep(record: OnboardingRecord): StepNumber {
  const first = record.steps.find((step) => step.stepNumber < FINAL_STEP && !isDone(step));
  return first?.stepNumber ?? FINAL_STEP;
}

export function isCompleted(record: OnboardingRecord): boolean {
  return record.completedAt !== null;
}

/** Steps that must be done before POST /complete: 1-4 completed, 5 completed or skipped. */
export function missingForCompletion(record: OnboardingRecord): StepNumber[] {
  return record.steps
    .filter((step) => step.stepNumber < FINAL_STEP)
    .filter((step) => (step.stepNumber === 5 ? !isDone(step) : step.status !== "completed"))
    .map((step) => step.stepNumber);
}
