import type { JsonObject, OnboardingRecord, StepRecord, StepStatus } from "../onboarding/onboarding-record.js";
import { STEP_STATUSES } from "../onboarding/onboarding-record.js";
import { STEP_CATALOGUE, STEP_NUMBERS, type StepNumber } from "../onboarding/step-catalogue.js";
import { completionPercentage, currentStep } from "../onboarding/step-rules.js";
import { fromNaiveTimestamp, toNaiveTimestamp } from "./naive-timestamp.js";
import { ProgressFileDamaged } from "./storage-errors.js";
import type { FileStorageMode, StepPersistence } from "./step-persistence.js";

/** The legacy progress file (shared/legacy/progress-file.md): keys may be added, never renamed or dropped. */
export interface ProgressFile {
  steps: ProgressFileStep[];
  current_step: number;
  started_at: string;
  last_updated: string;
  is_completed: boolean;
  completed_at: string | null;
  user_id: string;
  completion_percentage: number;
}

export interface ProgressFileStep {
  step_number: number;
  title: string;
  description: string;
  status: StepStatus;
  completed_at: string | null;
  data: JsonObject | null;
  validation_errors: string[];
}

export function encodeProgressFile(
  record: OnboardingRecord,
  steps: readonly StepPersistence[],
  mode: FileStorageMode,
): ProgressFile {
  const context = { userId: record.userId, now: record.updatedAt };
  return {
    steps: record.steps.map((step) => ({
      step_number: step.stepNumber,
      ...STEP_CATALOGUE[step.stepNumber],
      status: step.status,
      completed_at: naiveOrNull(step.completedAt),
      data: step.data === null ? null : (codecOf(steps, step.stepNumber)?.toFile(step.data, mode, context) ?? step.data),
      validation_errors: [...step.validationErrors],
    })),
    current_step: currentStep(record),
    started_at: toNaiveTimestamp(record.startedAt),
    last_updated: toNaiveTimestamp(record.updatedAt),
    is_completed: record.completedAt !== null,
    completed_at: naiveOrNull(record.completedAt),
    user_id: record.userId,
    completion_percentage: completionPercentage(record),
  };
}

export interface DecodedProgressFile {
  readonly record: OnboardingRecord;
  /** The `user_id` the file stores; undefined in files the old platform wrote. */
  readonly storedUserId: string | undefined;
  /** What was unambiguous enough to repair, one sentence each. */
  readonly repairs: readonly string[];
  /** The file's JSON as parsed, for readers that look at more than the record (not to be changed). */
  readonly parsed: Readonly<Record<string, unknown>>;
}

/** Reads our files and the old platform's, damaged ones included: repairs what is unambiguous, else throws ProgressFileDamaged. */
export function decodeProgressFile(
  text: string,
  path: string,
  userId: string,
  steps: readonly StepPersistence[],
): DecodedProgressFile {
  const damaged = (reason: string) => new ProgressFileDamaged(path, reason);
  const file = parseObject(text, damaged);
  if (!Array.isArray(file.steps)) throw damaged('it has no "steps" array');
  const repairs: string[] = [];
  const lastUpdated = timestamp(file.last_updated) ?? timestamp(file.started_at);
  if (lastUpdated === null) throw damaged('neither "last_updated" nor "started_at" is a timestamp');
  const context = { userId, now: lastUpdated };

  const byNumber = new Map<StepNumber, StepRecord>();
  for (const raw of file.steps) {
    const step = decodeStep(raw, lastUpdated, damaged, repairs);
    if (byNumber.has(step.stepNumber)) throw damaged(`step ${step.stepNumber} appears twice`);
    const codec = codecOf(steps, step.stepNumber);
    byNumber.set(step.stepNumber, step.data && codec ? { ...step, data: codec.fromFile(step.data, context) } : step);
  }
  const recordSteps = STEP_NUMBERS.map((n) => {
    const step = byNumber.get(n);
    if (step !== undefined) return step;
    repairs.push(`step ${n} was missing: added as pending`);
    return { stepNumber: n, status: "pending", completedAt: null, data: null, validationErrors: [], updatedAt: null } as StepRecord;
  });

  const record = withCompletion(
    { userId, startedAt: timestamp(file.started_at) ?? lastUpdated, updatedAt: lastUpdated, completedAt: null, steps: recordSteps },
    file,
    repairs,
  );
  if (typeof file.current_step === "number" && file.current_step !== currentStep(record)) {
    repairs.push(`current_step ${file.current_step} disagreed with the steps: it is ${currentStep(record)}`);
  }
  return { record, storedUserId: typeof file.user_id === "string" ? file.user_id : undefined, repairs, parsed: file };
}

function withCompletion(record: OnboardingRecord, file: Record<string, unknown>, repairs: string[]): OnboardingRecord {
  if (file.is_completed !== true) {
    if (file.completed_at !== null && file.completed_at !== undefined) repairs.push("completed_at was set on an incomplete onboarding: cleared");
    return record;
  }
  const unfinished = record.steps.filter((s) => s.stepNumber < 6 && s.status !== "completed" && s.status !== "skipped");
  if (unfinished.length > 0) {
    repairs.push(`is_completed was true with steps ${unfinished.map((s) => s.stepNumber).join(", ")} unfinished: set to false`);
    return record;
  }
  const completedAt = timestamp(file.completed_at) ?? record.updatedAt;
  const steps = record.steps.map((s) => (s.stepNumber === 6 ? { ...s, status: "completed" as const, completedAt } : s));
  return { ...record, completedAt, steps };
}

function decodeStep(
  raw: unknown,
  lastUpdated: string,
  damaged: (reason: string) => ProgressFileDamaged,
  repairs: string[],
): StepRecord {
  if (!isObject(raw)) throw damaged("a step is not an object");
  const stepNumber = raw.step_number;
  if (!(STEP_NUMBERS as readonly unknown[]).includes(stepNumber)) throw damaged(`a step has step_number ${String(stepNumber)}`);
  const n = stepNumber as StepNumber;
  let status = raw.status as StepStatus;
  if (!(STEP_STATUSES as readonly unknown[]).includes(status)) {
    repairs.push(`step ${n} had status ${JSON.stringify(raw.status)}: set to pending`);
    status = "pending";
  }
  let data = raw.data === undefined ? null : (raw.data as JsonObject | null);
  if (data !== null && !isObject(data)) {
    repairs.push(`step ${n} data was not an object: dropped`);
    data = null;
  }
  const completedAt = timestamp(raw.completed_at);
  const errors = Array.isArray(raw.validation_errors) ? raw.validation_errors.filter((e) => typeof e === "string") : [];
  return {
    stepNumber: n,
    status,
    completedAt: status === "completed" ? (completedAt ?? lastUpdated) : completedAt,
    data,
    validationErrors: errors,
    updatedAt: data === null ? null : (completedAt ?? lastUpdated),
  };
}

function parseObject(text: string, damaged: (reason: string) => ProgressFileDamaged): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw damaged(text.trim() === "" ? "it is empty" : "it is not valid JSON (truncated by a crash mid-write?)");
  }
  if (!isObject(parsed)) throw damaged("its top level is not an object");
  return parsed;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function timestamp(value: unknown): string | null {
  return typeof value === "string" ? fromNaiveTimestamp(value) : null;
}

function naiveOrNull(iso: string | null): string | null {
  return iso === null ? null : toNaiveTimestamp(iso);
}

function codecOf(steps: readonly StepPersistence[], stepNumber: number) {
  return steps.find((step) => step.stepNumber === stepNumber)?.file;
}
