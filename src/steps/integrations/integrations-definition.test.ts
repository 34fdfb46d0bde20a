import { describe, expect, it } from "vitest";
import type { StepUseContext } from "../../onboarding/step-definition.js";
import { sampleStepData } from "../../test-support/sample-steps.js";
import { integrationsDefinition } from "./integrations-definition.js";

const CONTEXT: StepUseContext = { userId: "user_2abc123xyz", environmentProviders: new Set() };

describe("step 5 completion rules", () => {
  it("refuses to complete with nothing saved (skipping is the way to leave it empty)", () => {
    expect(integrationsDefinition.completionErrors(null, CONTEXT)).toEqual(["save this step's data first"]);
  });

  it("completes with saved integrations", () => {
    expect(integrationsDefinition.completionErrors(sampleStepData(5, "done"), CONTEXT)).toEqual([]);
  });

  it("completes with three empty lists", () => {
    const empty = { website_platforms: [], analytics_platforms: [], social_platforms: [] };

    expect(integrationsDefinition.completionErrors(empty, CONTEXT)).toEqual([]);
  });
});

describe("step 5 stored and shown as sent", () => {
  it("stores and shows the integrations as the client sent them", () => {
    const data = sampleStepData(5, "plain");

    expect(integrationsDefinition.stepNumber).toBe(5);
    expect(integrationsDefinition.toStored(data, null, CONTEXT)).toBe(data);
    expect(integrationsDefinition.present(data)).toBe(data);
    expect(integrationsDefinition.present(null)).toBeNull();
  });

  it("describes a save for the log", () => {
    expect(integrationsDefinition.describeSave(sampleStepData(5, "log"))).toEqual(["Integrations"]);
  });
});
