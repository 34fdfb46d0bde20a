import type { JsonObject, OnboardingRecord, StepRecord } from "../../onboarding/onboarding-record.js";
import type { StepNumber } from "../../onboarding/step-catalogue.js";
import { earlier, isLater, later, sameInstant } from "../shared/instants.js";
import type { SameStepData } from "./step-data-equivalence.js";

export interface DatabaseNewerStep {
  readonly step: StepNumber;
  readonly database_updated_at: string;
  readonly file_updated_at: string;
}

export interface MergeInput {
  /** What the database holds (an empty record for a session just created). */
  readonly current: OnboardingRecord;
  /** What the progress file holds, decoded for the same user. */
  readonly file: OnboardingRecord;
  readonly maskedProviders: readonly string[];
  readonly sameData: SameStepData;
}

export interface MergeOutcome {
  /** `current` itself when nothing changes, so that the store writes nothing. */
  readonly record: OnboardingRecord;
  readonly changed: boolean;
  readonly stepsFromFile: readonly StepNumber[];
  readonly databaseNewer: readonly DatabaseNewerStep[];
  /** Masked in the file and absent from the database: lost with the old platform's copy. */
  readonly keysNotImported: readonly string[];
}

/**
 * Per step: the database is the commit point, so it wins wherever it holds the step and the
 * file's version is not strictly newer (a tie included: the file is then left for `reconcile`
 * to report as drift); otherwise the file's data and status win. Steps that mean the same keep the database's objects, so that a
 * re-run writes nothing (and step 1 is not re-sealed).
 */
export function mergeImportedRecord({ current, file, maskedProviders, sameData }: MergeInput): MergeOutcome {
  const fileSteps = withDatabaseKeysForMasks(file, current, maskedProviders);
  const steps: StepRecord[] = [];
  const stepsFromFile: StepNumber[] = [];
  const databaseNewer: DatabaseNewerStep[] = [];
  for (const held of current.steps) {
    const offered = fileSteps[held.stepNumber - 1]!;
    if (sameStep(held, offered, sameData)) {
      steps.push(held);
      continue;
    }
    const heldAt = heldSince(held, current);
    const offeredAt = offered.updatedAt ?? offered.completedAt ?? file.updatedAt;
    if (heldAt !== null && !isLater(offeredAt, heldAt)) {
      steps.push(held);
      databaseNewer.push({ step: held.stepNumber, database_updated_at: heldAt, file_updated_at: offeredAt });
      continue;
    }
    steps.push(sameData(held.stepNumber, held.data, offered.data) ? { ...offered, data: held.data, updatedAt: held.updatedAt } : offered);
    stepsFromFile.push(held.stepNumber);
  }
  const keysNotImported = maskedProviders.filter((provider) => databaseKeys(current)[provider] === undefined);
  const startedAt = earlier(current.startedAt, file.startedAt);
  const changed = stepsFromFile.length > 0 || startedAt !== current.startedAt;
  if (!changed) return { record: current, changed, stepsFromFile, databaseNewer, keysNotImported };
  const record: OnboardingRecord = {
    userId: current.userId,
    startedAt,
    updatedAt: isEmpty(current) ? file.updatedAt : later(current.updatedAt, file.updatedAt),
    completedAt: stepsFromFile.includes(6) ? file.completedAt : current.completedAt,
    steps,
  };
  return { record, changed, stepsFromFile, databaseNewer, keysNotImported };
}

function sameStep(a: StepRecord, b: StepRecord, sameData: SameStepData): boolean {
  return (
    a.status === b.status &&
    sameInstant(a.completedAt, b.completedAt) &&
    JSON.stringify(a.validationErrors) === JSON.stringify(b.validationErrors) &&
    sameData(a.stepNumber, a.data, b.data)
  );
}

/** When the database's version of a step dates from; null when it holds nothing for it. */
function heldSince(step: StepRecord, record: OnboardingRecord): string | null {
  if (step.data !== null) return step.updatedAt ?? record.updatedAt;
  if (step.status !== "pending") return step.completedAt ?? record.updatedAt;
  return null;
}

/** A session created by this very import: nothing in it may outrank the file. */
function isEmpty(record: OnboardingRecord): boolean {
  return record.completedAt === null && record.steps.every((step) => step.data === null && step.status === "pending");
}

/**
 * A file we wrote in `dual` mode holds masks where the keys were: the codec drops them. Where
 * the database has that provider's key, the file's step 1 keeps it rather than deleting it.
 */
function withDatabaseKeysForMasks(file: OnboardingRecord, current: OnboardingRecord, masked: readonly string[]): StepRecord[] {
  const stepOne = file.steps[0]!;
  const kept = Object.fromEntries(Object.entries(databaseKeys(current)).filter(([provider]) => masked.includes(provider)));
  if (Object.keys(kept).length === 0) return [...file.steps];
  const fileKeys = (stepOne.data?.api_keys ?? {}) as JsonObject;
  const data: JsonObject = { api_keys: { ...kept, ...fileKeys } };
  return [{ ...stepOne, data }, ...file.steps.slice(1)];
}

function databaseKeys(record: OnboardingRecord): JsonObject {
  return (record.steps[0]?.data?.api_keys ?? {}) as JsonObject;
}
