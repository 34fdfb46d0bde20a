import { describe, expect, it } from "vitest";
import type { StepUseContext } from "../../onboarding/step-definition.js";
import { sampleStepData } from "../../test-support/sample-steps.js";
import { personaDefinition } from "./persona-definition.js";

const CONTEXT: StepUseContext = { userId: "user_2abc123xyz", environmentProviders: new Set() };

describe("step 4 completion rules", () => {
  it("refuses to complete with no persona saved", () => {
    expect(personaDefinition.completionErrors(null, CONTEXT)).toEqual(["save this step's data first"]);
  });

  it("completes with a saved persona", () => {
    expect(personaDefinition.completionErrors(sampleStepData(4, "done"), CONTEXT)).toEqual([]);
  });
});

describe("step 4 stored and shown as sent", () => {
  it("stores and shows the persona as the client sent it, camelCase keys and all", () => {
    const data = sampleStepData(4, "plain");

    expect(personaDefinition.stepNumber).toBe(4);
    expect(personaDefinition.toStored(data, null, CONTEXT)).toBe(data);
    expect(personaDefinition.present(data)).toBe(data);
    expect(personaDefinition.present(null)).toBeNull();
  });

  it("describes a save for the log", () => {
    expect(personaDefinition.describeSave(sampleStepData(4, "log"))).toEqual(["Persona data"]);
  });
});
