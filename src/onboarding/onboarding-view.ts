import { emptyStep, type JsonObject, type OnboardingRecord, type StepRecord, type StepStatus } from "./onboarding-record.js";
import type { StepDefinition } from "./step-definition.js";
import { STEP_CATALOGUE, STEP_NUMBERS, type StepNumber } from "./step-catalogue.js";
import { completionPercentage, currentStep, isCompleted, isDone, missingForCompletion } from "./step-rules.js";

/** What clients see: the old platform's field names, computed by the one set of rules. */

export interface StepView {
  step_number: number;
  title: string;
  description: string;
  status: StepStatus;
  completed_at: string | null;
  data: JsonObject | null;
  validation_errors: string[];
}

export interface StatusView {
  is_completed: boolean;
  current_step: number;
  completion_percentage: number;
  next_step: number | null;
  started_at: string | null;
  completed_at: string | null;
  can_proceed_to_final: boolean;
}

export interface ProgressView {
  steps: StepView[];
  current_step: number;
  started_at: string | null;
  last_updated: string | null;
  is_completed: boolean;
  completed_at: string | null;
  completion_percentage: number;
}

/** A user who never saved has no record; they see an empty wizard, and nothing is stamped "now". */
const NOBODY: OnboardingRecord = { userId: "", startedAt: "", updatedAt: "", completedAt: null, steps: STEP_NUMBERS.map(emptyStep) };

export function stepView(step: StepRecord, definitions: readonly StepDefinition[]): StepView {
  const definition = definitions.find((d) => d.stepNumber === step.stepNumber);
  return {
    step_number: step.stepNumber,
    ...STEP_CATALOGUE[step.stepNumber],
    status: step.status,
    completed_at: step.completedAt,
    data: definition === undefined ? step.data : definition.present(step.data),
    validation_errors: [...step.validationErrors],
  };
}

export function statusView(stored: OnboardingRecord | null): StatusView {
  const record = stored ?? NOBODY;
  const current = currentStep(record);
  return {
    is_completed: isCompleted(record),
    current_step: current,
    completion_percentage: completionPercentage(record),
    next_step: nextStep(record, current),
    started_at: stored === null ? null : record.startedAt,
    completed_at: record.completedAt,
    can_proceed_to_final: missingForCompletion(record).length === 0,
  };
}

export function progressView(stored: OnboardingRecord | null, definitions: readonly StepDefinition[]): ProgressView {
  const record = stored ?? NOBODY;
  return {
    steps: record.steps.map((step) => stepView(step, definitions)),
    current_step: currentStep(record),
    started_at: stored === null ? null : record.startedAt,
    last_updated: stored === null ? null : record.updatedAt,
    is_completed: isCompleted(record),
    completed_at: record.completedAt,
    completion_percentage: completionPercentage(record),
  };
}

export function recordOrEmpty(stored: OnboardingRecord | null): OnboardingRecord {
  return stored ?? NOBODY;
}

/** The first step after the current one that is not done yet; null when there is none. */
function nextStep(record: OnboardingRecord, current: StepNumber): number | null {
  if (isCompleted(record)) return null;
  const later = record.steps.find((step) => step.stepNumber > current && !isDone(step));
  return later?.stepNumber ?? null;
}
