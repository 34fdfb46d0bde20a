import { STEP_NUMBERS, type StepNumber } from "./step-catalogue.js";

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export const STEP_STATUSES = ["pending", "in_progress", "completed", "skipped", "failed"] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export interface StepRecord {
  readonly stepNumber: StepNumber;
  readonly status: StepStatus;
  readonly completedAt: string | null;
  /** What the step saved, in its own shape; storage passes it through without looking inside. */
  readonly data: JsonObject | null;
  readonly validationErrors: readonly string[];
  /** When this step's data last changed (ISO 8601, UTC); null while it has none. */
  readonly updatedAt: string | null;
}

/** Everything one user has in the wizard. Timestamps are ISO 8601 in UTC. */
export interface OnboardingRecord {
  readonly userId: string;
  readonly startedAt: string;
  readonly updatedAt: string;
  /** Set by POST /complete only; `is_completed` is `completedAt !== null`. */
  readonly completedAt: string | null;
  readonly steps: readonly StepRecord[];
}

export function emptyStep(stepNumber: StepNumber): StepRecord {
  return { stepNumber, status: "pending", completedAt: null, data: null, validationErrors: [], updatedAt: null };
}

export function newRecord(userId: string, now: string): OnboardingRecord {
  return { userId, startedAt: now, updatedAt: now, completedAt: null, steps: STEP_NUMBERS.map(emptyStep) };
}

export function stepOf(record: OnboardingRecord, stepNumber: StepNumber): StepRecord {
  const step = record.steps[stepNumber - 1];
  if (step === undefined || step.stepNumber !== stepNumber) throw new Error(`record of ${record.userId} lacks step ${stepNumber}`);
  return step;
}

export function withStep(record: OnboardingRecord, step: StepRecord, now: string): OnboardingRecord {
  return {
    ...record,
    updatedAt: now,
    steps: record.steps.map((existing) => (existing.stepNumber === step.stepNumber ? step : existing)),
  };
}
