import { describe, expect, it } from "vitest";
import { RESEARCH_DEPTHS, researchPreferencesStepSchema } from "./research-preferences-schema.js";
import { failingPaths as failingPathsOf } from "../../test-support/failing-paths.js";

const VALID = { research_depth: "Standard", content_types: ["Blog Posts"], auto_research: true, factual_content: false };

const failingPaths = (payload: unknown): string[] => failingPathsOf(researchPreferencesStepSchema, payload);

function without(field: keyof typeof VALID): Record<string, unknown> {
  const { [field]: _dropped, ...rest } = VALID;
  return rest;
}

describe("step 3 schema: accepted payloads", () => {
  it.each(RESEARCH_DEPTHS.map((depth) => ({ depth })))("accepts research_depth $depth", ({ depth }) => {
    expect(failingPaths({ ...VALID, research_depth: depth })).toEqual([]);
  });

  it.each([
    { label: "one content type", payload: VALID },
    { label: "20 content types", payload: { ...VALID, content_types: Array.from({ length: 20 }, (_, i) => `type ${i}`) } },
    { label: "a content type of 100 characters", payload: { ...VALID, content_types: ["x".repeat(100)] } },
    { label: "both switches on", payload: { ...VALID, auto_research: true, factual_content: true } },
    { label: "both switches off", payload: { ...VALID, auto_research: false, factual_content: false } },
  ])("accepts $label", ({ payload }) => {
    expect(failingPaths(payload)).toEqual([]);
  });

  it("keeps only the RESEARCH_DEPTHS of SPEC §4", () => {
    expect(RESEARCH_DEPTHS).toEqual(["Basic", "Standard", "Comprehensive", "Expert"]);
  });

  it("trims the spaces around a content type", () => {
    expect(researchPreferencesStepSchema.parse({ ...VALID, content_types: ["  Case Studies "] }).content_types).toEqual(["Case Studies"]);
  });
});

describe("step 3 schema: refused payloads name the failing field", () => {
  it.each([
    { label: "an unknown research depth", payload: { ...VALID, research_depth: "Deep" }, path: "research_depth" },
    { label: "a research depth in the wrong case", payload: { ...VALID, research_depth: "basic" }, path: "research_depth" },
    { label: "no research depth", payload: without("research_depth"), path: "research_depth" },
    { label: "no content types", payload: { ...VALID, content_types: [] }, path: "content_types" },
    { label: "21 content types", payload: { ...VALID, content_types: Array.from({ length: 21 }, (_, i) => `type ${i}`) }, path: "content_types" },
    { label: "content types as one string", payload: { ...VALID, content_types: "Blog Posts" }, path: "content_types" },
    { label: "missing content types", payload: without("content_types"), path: "content_types" },
    { label: "an empty content type", payload: { ...VALID, content_types: ["Blog Posts", ""] }, path: "content_types.1" },
    { label: "a content type of spaces only", payload: { ...VALID, content_types: ["   "] }, path: "content_types.0" },
    { label: "a content type of 101 characters", payload: { ...VALID, content_types: ["x".repeat(101)] }, path: "content_types.0" },
    { label: "a content type that is a number", payload: { ...VALID, content_types: ["Blog Posts", 7] }, path: "content_types.1" },
    { label: "auto_research as a string", payload: { ...VALID, auto_research: "true" }, path: "auto_research" },
    { label: "factual_content as 1", payload: { ...VALID, factual_content: 1 }, path: "factual_content" },
    { label: "no auto_research", payload: without("auto_research"), path: "auto_research" },
    { label: "no factual_content", payload: without("factual_content"), path: "factual_content" },
    { label: "an unknown field", payload: { ...VALID, research_sources: ["web"] }, path: "research_sources" },
  ])("refuses $label at $path", ({ payload, path }) => {
    expect(failingPaths(payload)).toEqual([path]);
  });

  it("says why", () => {
    const messages = (payload: unknown) => researchPreferencesStepSchema.safeParse(payload).error?.issues.map((issue) => issue.message);

    expect(messages({ ...VALID, research_depth: "Deep" })).toEqual(["research_depth must be one of Basic, Standard, Comprehensive, Expert"]);
    expect(messages({ ...VALID, content_types: [] })).toEqual(["choose at least one content type"]);
    expect(messages({ ...VALID, content_types: Array.from({ length: 21 }, (_, i) => `t${i}`) })).toEqual(["choose at most 20 content types"]);
  });
});
