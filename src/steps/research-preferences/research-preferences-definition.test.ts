import { describe, expect, it } from "vitest";
import type { StepUseContext } from "../../onboarding/step-definition.js";
import { sampleStepData } from "../../test-support/sample-steps.js";
import { researchPreferencesDefinition } from "./research-preferences-definition.js";

const CONTEXT: StepUseContext = { userId: "user_2abc123xyz", environmentProviders: new Set() };

describe("step 3 completion rules", () => {
  it("refuses to complete with nothing saved", () => {
    expect(researchPreferencesDefinition.completionErrors(null, CONTEXT)).toEqual(["save this step's data first"]);
  });

  it("completes with saved preferences", () => {
    expect(researchPreferencesDefinition.completionErrors(sampleStepData(3, "done"), CONTEXT)).toEqual([]);
  });
});

describe("step 3 stored and shown as sent", () => {
  it("stores and shows the preferences as the client sent them", () => {
    const data = sampleStepData(3, "plain");

    expect(researchPreferencesDefinition.stepNumber).toBe(3);
    expect(researchPreferencesDefinition.toStored(data, null, CONTEXT)).toBe(data);
    expect(researchPreferencesDefinition.present(data)).toBe(data);
    expect(researchPreferencesDefinition.present(null)).toBeNull();
  });

  it("describes a save as the old platform's log did", () => {
    expect(researchPreferencesDefinition.describeSave(sampleStepData(3, "log"))).toEqual(["Research preferences"]);
  });
});
