import { describe, expect, it } from "vitest";
import { sampleStepData } from "../../test-support/sample-steps.js";
import { PERSONA_PLATFORMS, personaStepSchema } from "./persona-schema.js";
import { failingPaths as failingPathsOf } from "../../test-support/failing-paths.js";

const VALID = {
  corePersona: { persona_name: "The Explainer", tone: "warm" },
  platformPersonas: { linkedin: { length: "medium" } },
  qualityMetrics: { completeness: 80, overall: 75.5 },
  selectedPlatforms: ["linkedin"],
};

const failingPaths = (payload: unknown): string[] => failingPathsOf(personaStepSchema, payload);

const platforms = (count: number) => Array.from({ length: count }, (_, i) => `platform${i}`);

describe("step 4 schema: accepted payloads", () => {
  it.each([
    { label: "a generated persona", payload: sampleStepData(4, "accepted") },
    { label: "quality metrics at 0 and 100", payload: { ...VALID, qualityMetrics: { completeness: 0, overall: 100 } } },
    { label: "no quality metrics", payload: { ...VALID, qualityMetrics: {} } },
    { label: "an empty core persona and no platform personas", payload: { ...VALID, corePersona: {}, platformPersonas: {} } },
    { label: "10 selected platforms", payload: { ...VALID, selectedPlatforms: platforms(10) } },
    { label: "a platform not known today (more may be added)", payload: { ...VALID, selectedPlatforms: ["tiktok"], platformPersonas: { tiktok: {} } } },
    { label: "a platform name with digits, dash and underscore", payload: { ...VALID, selectedPlatforms: ["x2_social-net"] } },
    { label: "nested JSON inside a persona", payload: { ...VALID, corePersona: { traits: [{ name: "curious", weight: 0.7 }], extra: null } } },
  ])("accepts $label", ({ payload }) => {
    expect(failingPaths(payload)).toEqual([]);
  });

  it.each(PERSONA_PLATFORMS.map((platform) => ({ platform })))("accepts the known platform $platform", ({ platform }) => {
    expect(failingPaths({ ...VALID, selectedPlatforms: [platform], platformPersonas: { [platform]: {} } })).toEqual([]);
  });
});

describe("step 4 schema: refused payloads name the failing field", () => {
  it.each([
    { label: "a quality metric below 0", payload: { ...VALID, qualityMetrics: { completeness: -1 } }, path: "qualityMetrics.completeness" },
    { label: "a quality metric above 100", payload: { ...VALID, qualityMetrics: { overall: 100.5 } }, path: "qualityMetrics.overall" },
    { label: "a quality metric as text", payload: { ...VALID, qualityMetrics: { overall: "90" } }, path: "qualityMetrics.overall" },
    { label: "a quality metric that is not finite", payload: { ...VALID, qualityMetrics: { overall: Number.POSITIVE_INFINITY } }, path: "qualityMetrics.overall" },
    { label: "a quality metric that is NaN", payload: { ...VALID, qualityMetrics: { overall: Number.NaN } }, path: "qualityMetrics.overall" },
    { label: "a quality metric name of 65 characters", payload: { ...VALID, qualityMetrics: { ["m".repeat(65)]: 50 } }, path: `qualityMetrics.${"m".repeat(65)}` },
    { label: "no selected platform", payload: { ...VALID, selectedPlatforms: [] }, path: "selectedPlatforms" },
    { label: "11 selected platforms", payload: { ...VALID, selectedPlatforms: platforms(11) }, path: "selectedPlatforms" },
    { label: "a selected platform in capitals", payload: { ...VALID, selectedPlatforms: ["linkedin", "LinkedIn"] }, path: "selectedPlatforms.1" },
    { label: "a selected platform with a space", payload: { ...VALID, selectedPlatforms: ["linked in"] }, path: "selectedPlatforms.0" },
    { label: "a selected platform of 41 characters", payload: { ...VALID, selectedPlatforms: [`p${"x".repeat(40)}`] }, path: "selectedPlatforms.0" },
    { label: "selected platforms as one string", payload: { ...VALID, selectedPlatforms: "linkedin" }, path: "selectedPlatforms" },
    { label: "a platform persona under a bad name", payload: { ...VALID, platformPersonas: { "Linked In": {} } }, path: "platformPersonas.Linked In" },
    { label: "a platform persona that is text", payload: { ...VALID, platformPersonas: { linkedin: "short posts" } }, path: "platformPersonas.linkedin" },
    { label: "a core persona that is a list", payload: { ...VALID, corePersona: ["warm"] }, path: "corePersona" },
    { label: "no core persona", payload: { ...VALID, corePersona: undefined }, path: "corePersona" },
    { label: "the snake_case name core_persona", payload: { ...VALID, core_persona: {} }, path: "core_persona" },
  ])("refuses $label at $path", ({ payload, path }) => {
    expect(failingPaths(payload)).toEqual([path]);
  });

  it("says why", () => {
    const messages = (payload: unknown) => personaStepSchema.safeParse(payload).error?.issues.map((issue) => issue.message);

    expect(messages({ ...VALID, qualityMetrics: { overall: 101 } })).toEqual(["a quality metric is 0-100"]);
    expect(messages({ ...VALID, selectedPlatforms: [] })).toEqual(["select at least one platform"]);
    expect(messages({ ...VALID, selectedPlatforms: platforms(11) })).toEqual(["select at most 10 platforms"]);
  });
});
