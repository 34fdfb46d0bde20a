import { describe, expect, it } from "vitest";
import { newRecord, type OnboardingRecord } from "../../onboarding/onboarding-record.js";
import { completeOnboarding, completeStep, skipStep } from "../../onboarding/step-transitions.js";
import { sampleStepData, sealedKeys, testCipher } from "../../test-support/sample-steps.js";
import { mergeImportedRecord } from "./merge-imported-record.js";
import { stepDataComparer } from "./step-data-equivalence.js";

const cipher = testCipher();
const USER = "user_merge";

/** A finished onboarding, every step stamped `at`. */
function finishedAt(at: string, tag: string): OnboardingRecord {
  let record = newRecord(USER, at);
  record = completeStep(record, 1, sealedKeys(cipher, USER, { openai: `sk-merge-${tag}-0001` }), () => [], at);
  for (const n of [2, 3, 4] as const) record = completeStep(record, n, sampleStepData(n, tag), () => [], at);
  return completeOnboarding(skipStep(record, 5, at), at);
}

const merge = (current: OnboardingRecord, file: OnboardingRecord, maskedProviders: string[] = []) =>
  mergeImportedRecord({ current, file, maskedProviders, sameData: stepDataComparer(cipher, USER) });

describe("mergeImportedRecord", () => {
  it("takes everything from the file into a session the import just created", () => {
    const file = finishedAt("2025-01-10T12:00:00.123456Z", "file");
    const outcome = merge(newRecord(USER, "2026-01-01T00:00:00.000Z"), file);
    expect(outcome.stepsFromFile).toEqual([1, 2, 3, 4, 5, 6]);
    expect(outcome.record).toMatchObject({ startedAt: file.startedAt, updatedAt: file.updatedAt, completedAt: file.completedAt });
  });

  it("changes nothing when the keys were sealed again but are the same keys", () => {
    const current = finishedAt("2025-01-10T12:00:00.123Z", "same");
    const file = finishedAt("2025-01-10T12:00:00.123456Z", "same");
    expect(file.steps[0]?.data).not.toEqual(current.steps[0]?.data);
    const outcome = merge(current, file);
    expect(outcome).toMatchObject({ changed: false, stepsFromFile: [], databaseNewer: [] });
    expect(outcome.record).toBe(current);
  });

  it("keeps a completion the database made after the file, and reports every step it kept", () => {
    const current = finishedAt("2026-02-01T00:00:00.000Z", "db");
    const file = finishedAt("2025-01-10T12:00:00.000000Z", "file");
    const outcome = merge(current, { ...file, completedAt: null, steps: file.steps.map((s) => (s.stepNumber === 6 ? { ...s, status: "pending", completedAt: null } : s)) });
    expect(outcome.databaseNewer.map((s) => s.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(outcome.record.completedAt).toBe(current.completedAt);
  });

  it("keeps the database's key for a provider the file holds only masked, and names the ones it cannot import", () => {
    const current = finishedAt("2025-01-01T00:00:00.000Z", "db");
    const file = finishedAt("2025-06-01T00:00:00.000000Z", "file");
    const maskedOnly = { ...file, steps: file.steps.map((s) => (s.stepNumber === 1 ? { ...s, data: null } : s)) };
    const outcome = merge(current, maskedOnly, ["openai", "gemini"]);
    expect(outcome.keysNotImported).toEqual(["gemini"]);
    expect(outcome.record.steps[0]?.data).toBe(current.steps[0]?.data);
    // Step 1's completion time comes from the newer file; its keys stay the database's own objects.
    expect(outcome.stepsFromFile).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
