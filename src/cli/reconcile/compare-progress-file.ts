import type { ProgressFile, ProgressFileStep } from "../../storage/progress-file-format.js";
import { fromNaiveTimestamp } from "../../storage/naive-timestamp.js";
import { STEP_NUMBERS } from "../../onboarding/step-catalogue.js";
import { sameJson } from "../shared/canonical-json.js";
import { sameInstant } from "../shared/instants.js";

export interface FileDifference {
  /** A step number, or "session" for the file's top-level fields. */
  readonly step: number | "session";
  readonly detail: string;
}

const SESSION_FIELDS = ["user_id", "current_step", "started_at", "last_updated", "is_completed", "completed_at", "completion_percentage"] as const;
const STEP_FIELDS = ["title", "description", "status", "completed_at", "validation_errors"] as const;
const TIMESTAMP_FIELDS: ReadonlySet<string> = new Set(["started_at", "last_updated", "completed_at"]);

/**
 * How a progress file differs from the one the database would write, per step. Timestamps are
 * compared at millisecond precision (old files carry microseconds); data is compared as
 * canonical JSON and never shown, since an old file's step 1 may hold a plaintext key.
 */
export function compareProgressFile(expected: ProgressFile, actual: Readonly<Record<string, unknown>>): FileDifference[] {
  const differences: FileDifference[] = [];
  const session = SESSION_FIELDS.filter((field) => !sameValue(field, expected[field], actual[field]));
  if (session.length > 0) differences.push({ step: "session", detail: describe(session, expected, actual) });
  const fileSteps = Array.isArray(actual.steps) ? (actual.steps as unknown[]).filter(isObject) : [];
  for (const stepNumber of STEP_NUMBERS) {
    const difference = stepDifference(expected.steps[stepNumber - 1]!, fileSteps, stepNumber);
    if (difference !== undefined) differences.push({ step: stepNumber, detail: difference });
  }
  if (fileSteps.length > STEP_NUMBERS.length) differences.push({ step: "session", detail: `the file has ${fileSteps.length} steps, not 6` });
  return differences;
}

function stepDifference(expected: ProgressFileStep, fileSteps: readonly Record<string, unknown>[], stepNumber: number): string | undefined {
  const matching = fileSteps.filter((step) => step.step_number === stepNumber);
  if (matching.length === 0) return "missing from the file";
  if (matching.length > 1) return `appears ${matching.length} times in the file`;
  const actual = matching[0]!;
  const fields = STEP_FIELDS.filter((field) => !sameValue(field, expected[field], actual[field]));
  const parts = fields.length > 0 ? [describe(fields, expected, actual)] : [];
  if (!sameJson(expected.data, actual.data ?? null)) parts.push("data differs");
  return parts.length > 0 ? parts.join("; ") : undefined;
}

function sameValue(field: string, expected: unknown, actual: unknown): boolean {
  // The same text is the same instant: a file the database wrote has its timestamps as written.
  if (expected === actual && actual !== undefined) return true;
  if (TIMESTAMP_FIELDS.has(field) && typeof expected === "string" && typeof actual === "string") {
    const [a, b] = [fromNaiveTimestamp(expected), fromNaiveTimestamp(actual)];
    if (a !== null && b !== null) return sameInstant(a, b);
  }
  return sameJson(expected, actual ?? null);
}

function describe(fields: readonly string[], expected: object, actual: Readonly<Record<string, unknown>>): string {
  const value = (object: object, field: string) => JSON.stringify((object as Record<string, unknown>)[field]) ?? "absent";
  return fields.map((field) => `${field}: file ${value(actual, field)}, database ${value(expected, field)}`).join("; ");
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
