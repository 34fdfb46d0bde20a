import { describe, expect, it } from "vitest";
import { LastModelKey, StepDone } from "../errors/app-errors.js";
import { newRecord, type JsonObject } from "./onboarding-record.js";
import { completeOnboarding, completeStep, saveStepData, skipStep } from "./step-transitions.js";

const T0 = "2026-01-01T00:00:00.000Z";
const T1 = "2026-01-01T00:00:01.000Z";
/** A stand-in completion rule: data must name a `ok: true`. */
const rule = (data: JsonObject | null) => (data?.ok === true ? [] : ["needs ok"]);

function completedRecord() {
  let record = newRecord("user_rules", T0);
  for (const n of [1, 2, 3, 4] as const) record = completeStep(record, n, { ok: true }, rule, T0);
  record = skipStep(record, 5, T0);
  return completeOnboarding(record, T0);
}

describe("saveStepData: a status never goes down by an edit", () => {
  it("keeps a completed step completed, with its completed_at, when the draft meets the rule", () => {
    const record = saveStepData(completedRecord(), 3, { ok: true, v: 2 }, T1, rule);
    expect(record.steps[2]).toMatchObject({ status: "completed", completedAt: T0, data: { ok: true, v: 2 }, updatedAt: T1 });
  });

  it("makes a skipped step completed when the draft meets the rule", () => {
    const record = saveStepData(completedRecord(), 5, { ok: true }, T1, rule);
    expect(record.steps[4]).toMatchObject({ status: "completed", completedAt: T1 });
    expect(record.completedAt).toBe(T0);
  });

  it("refuses a draft of a done step that does not meet the rule with step_done, and the step's own refusal when it has one", () => {
    expect(() => saveStepData(completedRecord(), 2, { ok: false }, T1, rule)).toThrow(StepDone);
    expect(() => saveStepData(completedRecord(), 5, null, T1, rule)).toThrow(StepDone);
    const lastKey = () => new LastModelKey("no model key left");
    expect(() => saveStepData(completedRecord(), 1, null, T1, rule, lastKey)).toThrow(LastModelKey);
    // Completing a done step again with data short of the rule is the same edit.
    expect(() => completeStep(completedRecord(), 1, { ok: false }, rule, T1, lastKey)).toThrow(LastModelKey);
  });

  it("makes a pending step in progress, and clears data without a status change", () => {
    const record = saveStepData(newRecord("user_rules", T0), 1, { ok: false }, T1, rule);
    expect(record.steps[0]).toMatchObject({ status: "in_progress", data: { ok: false } });
    expect(saveStepData(record, 1, null, T1, rule).steps[0]).toMatchObject({ status: "in_progress", data: null });
  });
});
