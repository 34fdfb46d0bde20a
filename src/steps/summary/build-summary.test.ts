import { describe, expect, it } from "vitest";
import { stepDefinitions } from "../../composition/step-registry.js";
import { newRecord, stepOf, withStep, type JsonObject, type OnboardingRecord } from "../../onboarding/onboarding-record.js";
import { LLM_PROVIDERS, PROVIDERS } from "../../onboarding/providers.js";
import type { DataStepNumber } from "../../onboarding/step-catalogue.js";
import { completeOnboarding, completeStep, skipStep } from "../../onboarding/step-transitions.js";
import { sampleStepData, sealedKeys, testCipher } from "../../test-support/sample-steps.js";
import { buildSummary } from "./build-summary.js";

const cipher = testCipher();
const definitions = stepDefinitions(cipher);
const USER = "user_2abc123xyz";
const STARTED = "2025-01-02T10:00:00.000Z";
const LATER = "2025-01-02T10:05:00.000Z";

/** A record holding `data` for each step given, as drafts (the summary reads data, not statuses). */
function recordWithData(data: Partial<Record<DataStepNumber, JsonObject>>): OnboardingRecord {
  let record = newRecord(USER, STARTED);
  for (const [n, stepData] of Object.entries(data)) {
    const step = stepOf(record, Number(n) as DataStepNumber);
    record = withStep(record, { ...step, status: "in_progress", data: stepData, updatedAt: LATER }, LATER);
  }
  return record;
}

const keys = (provided: Record<string, string>) => sealedKeys(cipher, USER, provided);
const NO_CAPABILITY = { ai_content_generation: false, website_analysis: false, research_capabilities: false, persona_generation: false, content_optimization: false };
const EVERY_CAPABILITY = { ai_content_generation: true, website_analysis: true, research_capabilities: true, persona_generation: true, content_optimization: true };
const WEBSITE_ONLY = { website: "https://site.example.com" };
const ALL_FOUR = { 1: keys({ openai: "sk-openai-key-0001" }), 2: sampleStepData(2, "site"), 3: sampleStepData(3, "r"), 4: sampleStepData(4, "p") };

describe("buildSummary: the shape of SPEC §5", () => {
  it("has exactly the fields of SPEC §5, the status fields and the five capabilities", () => {
    const summary = buildSummary(USER, recordWithData(ALL_FOUR), definitions);

    expect(Object.keys(summary).sort()).toEqual(
      [
        "user_id",
        "onboarding",
        "api_keys",
        "website_url",
        "style_analysis",
        "research_preferences",
        "persona",
        "integrations",
        "persona_readiness",
        "capabilities_overview",
        "personalization_settings",
        "configuration_and_capabilities",
        "onboarding_type",
      ].sort(),
    );
    expect(Object.keys(summary.onboarding).sort()).toEqual(
      ["is_completed", "current_step", "completion_percentage", "next_step", "started_at", "completed_at", "can_proceed_to_final"].sort(),
    );
    expect(Object.keys(summary.capabilities_overview).sort()).toEqual(
      ["ai_content_generation", "website_analysis", "research_capabilities", "persona_generation", "content_optimization"].sort(),
    );
    expect(Object.keys(summary.persona ?? {}).sort()).toEqual(["corePersona", "platformPersonas", "qualityMetrics", "selectedPlatforms"]);
  });

  it("shows nothing, nothing ready and no capability for a user who never saved", () => {
    expect(buildSummary("user_new", null, definitions)).toEqual({
      user_id: "user_new",
      onboarding: {
        is_completed: false,
        current_step: 1,
        completion_percentage: 0,
        next_step: 2,
        started_at: null,
        completed_at: null,
        can_proceed_to_final: false,
      },
      api_keys: { count: 0, providers: [] },
      website_url: null,
      style_analysis: null,
      research_preferences: null,
      persona: null,
      integrations: null,
      persona_readiness: {
        ready: false,
        reason: "Not ready: missing a language model key (step 1), a website analysis (step 2), research preferences (step 3)",
        missing_data: ["api_keys", "website_analysis", "research_preferences"],
      },
      capabilities_overview: NO_CAPABILITY,
      personalization_settings: null,
      configuration_and_capabilities: { capabilities_overview: NO_CAPABILITY },
      onboarding_type: "website",
    });
  });

  it("shows every step a completed onboarding saved, keys masked", () => {
    let record = newRecord(USER, STARTED);
    const saved = { ...ALL_FOUR, 1: keys({ openai: "sk-openai-key-0001", exa: "exa-research-0002" }), 5: sampleStepData(5, "i") };
    for (const n of [1, 2, 3, 4, 5] as const) record = completeStep(record, n, saved[n], () => [], LATER);
    record = completeOnboarding(record, LATER);

    expect(buildSummary(USER, record, definitions)).toEqual({
      user_id: USER,
      onboarding: {
        is_completed: true,
        current_step: 6,
        completion_percentage: 100,
        next_step: null,
        started_at: STARTED,
        completed_at: LATER,
        can_proceed_to_final: true,
      },
      api_keys: {
        count: 2,
        providers: [
          { provider: "openai", masked: `${"*".repeat(14)}0001` },
          { provider: "exa", masked: `${"*".repeat(13)}0002` },
        ],
      },
      website_url: "https://site.example.com",
      style_analysis: sampleStepData(2, "site").analysis,
      research_preferences: sampleStepData(3, "r"),
      persona: sampleStepData(4, "p"),
      integrations: sampleStepData(5, "i"),
      persona_readiness: { ready: true, reason: "Ready: a language model key, a website analysis and research preferences are saved", missing_data: [] },
      capabilities_overview: EVERY_CAPABILITY,
      personalization_settings: { writing_style: "voice: active", tone: "warm", brand_voice: "", persona: sampleStepData(4, "p") },
      configuration_and_capabilities: { capabilities_overview: EVERY_CAPABILITY },
      onboarding_type: "website",
    });
  });

  it("never shows a key or its ciphertext", () => {
    const stored = keys({ openai: "sk-plaintext-secret-0001" });
    const ciphertext = (stored.api_keys as Record<string, { ciphertext: string }>).openai!.ciphertext;

    const shown = JSON.stringify(buildSummary(USER, recordWithData({ 1: stored }), definitions));

    expect(shown).not.toContain("sk-plaintext-secret");
    expect(shown).not.toContain(ciphertext);
    expect(shown).toContain(`${"*".repeat(20)}0001`);
  });

  it("shows a website saved without analysis as its URL, with no style analysis", () => {
    const summary = buildSummary(USER, recordWithData({ 2: WEBSITE_ONLY }), definitions);

    expect(summary.website_url).toBe("https://site.example.com");
    expect(summary.style_analysis).toBeNull();
    expect(summary.capabilities_overview.website_analysis).toBe(false);
  });

  it("shows no integrations when step 5 was skipped", () => {
    let record = newRecord(USER, STARTED);
    for (const n of [1, 2, 3, 4] as const) record = completeStep(record, n, ALL_FOUR[n], () => [], LATER);
    record = skipStep(record, 5, LATER);

    const summary = buildSummary(USER, record, definitions);

    expect(summary.integrations).toBeNull();
    expect(summary.onboarding).toMatchObject({ current_step: 6, completion_percentage: 83.3, can_proceed_to_final: true, is_completed: false });
    expect(summary.capabilities_overview.content_optimization).toBe(true);
  });
});

describe("buildSummary: capabilities_overview", () => {
  it.each(LLM_PROVIDERS.map((provider) => ({ provider })))("counts a key for $provider as AI content generation", ({ provider }) => {
    const summary = buildSummary(USER, recordWithData({ 1: keys({ [provider]: "llm-key-00001" }) }), definitions);

    expect(summary.capabilities_overview.ai_content_generation).toBe(true);
    expect(summary.persona_readiness.missing_data).not.toContain("api_keys");
  });

  it.each(PROVIDERS.filter((provider) => !LLM_PROVIDERS.includes(provider)).map((provider) => ({ provider })))(
    "does not count a key for $provider as AI content generation",
    ({ provider }) => {
      const summary = buildSummary(USER, recordWithData({ 1: keys({ [provider]: "tool-key-00001" }) }), definitions);

      expect(summary.api_keys.count).toBe(1);
      expect(summary.capabilities_overview.ai_content_generation).toBe(false);
      expect(summary.persona_readiness.missing_data).toContain("api_keys");
    },
  );

  it.each([
    { label: "all four", data: ALL_FOUR, off: [] },
    { label: "no LLM key (a research key only)", data: { ...ALL_FOUR, 1: keys({ tavily: "tvly-key-00001" }) }, off: ["ai_content_generation"] },
    { label: "a website without analysis", data: { ...ALL_FOUR, 2: WEBSITE_ONLY }, off: ["website_analysis"] },
    { label: "no research preferences", data: { 1: ALL_FOUR[1], 2: ALL_FOUR[2], 4: ALL_FOUR[4] }, off: ["research_capabilities"] },
    { label: "no persona", data: { 1: ALL_FOUR[1], 2: ALL_FOUR[2], 3: ALL_FOUR[3] }, off: ["persona_generation"] },
    { label: "nothing but integrations", data: { 5: sampleStepData(5, "i") }, off: ["ai_content_generation", "website_analysis", "research_capabilities", "persona_generation"] },
  ])("turns off exactly the missing capabilities with $label, and content_optimization unless all four are on", ({ data, off }) => {
    const { content_optimization, ...four } = buildSummary(USER, recordWithData(data), definitions).capabilities_overview;

    expect(Object.entries(four).filter(([, on]) => !on).map(([name]) => name)).toEqual(off);
    expect(content_optimization).toBe(off.length === 0);
  });
});

describe("buildSummary: persona_readiness", () => {
  it.each([
    { label: "nothing", data: {}, missing: ["api_keys", "website_analysis", "research_preferences"] },
    { label: "an LLM key only", data: { 1: ALL_FOUR[1] }, missing: ["website_analysis", "research_preferences"] },
    { label: "a key and a website without analysis", data: { 1: ALL_FOUR[1], 2: WEBSITE_ONLY }, missing: ["website_analysis", "research_preferences"] },
    { label: "a key and an analysis", data: { 1: ALL_FOUR[1], 2: ALL_FOUR[2] }, missing: ["research_preferences"] },
    { label: "an analysis and preferences, no key", data: { 2: ALL_FOUR[2], 3: ALL_FOUR[3] }, missing: ["api_keys"] },
    { label: "a key, an analysis and preferences (no persona needed)", data: { 1: ALL_FOUR[1], 2: ALL_FOUR[2], 3: ALL_FOUR[3] }, missing: [] },
    { label: "a failed analysis", data: { 1: ALL_FOUR[1], 2: analysisWithStatus("failed"), 3: ALL_FOUR[3] }, missing: ["website_analysis"] },
    { label: "an analysis still running", data: { 1: ALL_FOUR[1], 2: analysisWithStatus("in_progress"), 3: ALL_FOUR[3] }, missing: ["website_analysis"] },
  ])("lists exactly what is missing with $label, and says so in its reason", ({ data, missing }) => {
    const { ready, reason, missing_data } = buildSummary(USER, recordWithData(data), definitions).persona_readiness;

    expect({ ready, missing_data }).toEqual({ ready: missing.length === 0, missing_data: missing });
    expect(reason.startsWith(missing.length === 0 ? "Ready:" : "Not ready:")).toBe(true);
    for (const [need, step] of [["api_keys", "step 1"], ["website_analysis", "step 2"], ["research_preferences", "step 3"]] as const) {
      expect(reason.includes(`(${step})`), `${need} in "${reason}"`).toBe(missing.includes(need));
    }
  });
});

describe("buildSummary: an analysis that gave nothing to work with", () => {
  it.each(["failed", "in_progress"])("counts a %s analysis as no website analysis, while still showing it", (status) => {
    const summary = buildSummary(USER, recordWithData({ 2: analysisWithStatus(status) }), definitions);

    expect(summary.capabilities_overview.website_analysis).toBe(false);
    expect(summary.style_analysis).toMatchObject({ status });
  });
});

function analysisWithStatus(status: string): JsonObject {
  return { website: "https://example.com", analysis: { status, error_message: status === "failed" ? "the page answered 404" : null } };
}

describe("buildSummary: the old platform's personalization_settings", () => {
  const ANALYSIS = {
    website: "https://bakery.example.com",
    analysis: {
      writing_style: { tone: "friendly", voice: "second person (you, your)", complexity: "moderate", formality: "informal", engagement_level: "high" },
      brand_analysis: { brand_voice: "homely and proud of its craft" },
      status: "completed",
    },
  };
  const GENERATED = {
    corePersona: {
      persona_name: "The Bakery Storyteller",
      brand_voice_description: "Writes in a warm tone for home bakers, with moderate vocabulary.",
      tone: { default_tone: "warm", formality: "informal" },
      vocabulary_level: "moderate",
    },
    platformPersonas: { blog: { length: "long" } },
    qualityMetrics: { overall: 80 },
    selectedPlatforms: ["blog"],
  };
  const settingsOf = (data: Partial<Record<DataStepNumber, JsonObject>>) => buildSummary(USER, recordWithData(data), definitions).personalization_settings;

  it("is null until step 4 holds a persona, whatever else is saved", () => {
    expect(settingsOf({ 1: ALL_FOUR[1], 2: ANALYSIS, 3: ALL_FOUR[3] })).toBeNull();
  });

  it("takes tone and brand voice from the persona, the writing style from the analysis, and carries the persona's four keys", () => {
    expect(settingsOf({ 2: ANALYSIS, 4: GENERATED })).toEqual({
      writing_style: "voice: second person (you, your); complexity: moderate; formality: informal; engagement level: high",
      tone: "warm",
      brand_voice: "Writes in a warm tone for home bakers, with moderate vocabulary.",
      persona: GENERATED,
    });
  });

  it("falls back to the persona's formality without an analysis, and to the analysis where the persona is silent", () => {
    expect(settingsOf({ 4: GENERATED })).toMatchObject({ writing_style: "formality: informal", tone: "warm" });
    const plain = { ...GENERATED, corePersona: { persona_name: "Plain" } };
    expect(settingsOf({ 2: ANALYSIS, 4: plain })).toMatchObject({ tone: "friendly", brand_voice: "homely and proud of its craft" });
  });

  it("answers strings, empty when nothing says, for a persona saved by hand", () => {
    const bare = { corePersona: { tone: { nested: true } }, platformPersonas: {}, qualityMetrics: {}, selectedPlatforms: ["blog"] };
    expect(settingsOf({ 4: bare })).toEqual({ writing_style: "", tone: "", brand_voice: "", persona: bare });
  });

  it("puts the same capabilities under configuration_and_capabilities", () => {
    const summary = buildSummary(USER, recordWithData({ 1: ALL_FOUR[1], 3: ALL_FOUR[3] }), definitions);
    expect(summary.configuration_and_capabilities.capabilities_overview).toEqual(summary.capabilities_overview);
    expect(summary.capabilities_overview).toMatchObject({ ai_content_generation: true, research_capabilities: true, website_analysis: false });
  });
});
