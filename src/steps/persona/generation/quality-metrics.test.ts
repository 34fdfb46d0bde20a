import { describe, expect, it } from "vitest";
import type { JsonObject } from "../../../onboarding/onboarding-record.js";
import { generatePersona } from "./generate-persona.js";
import { OVERALL_WEIGHTS, UNKNOWN_CONSISTENCY, type QualityMetrics } from "./quality-metrics.js";

const RESEARCH: JsonObject = { research_depth: "Basic", content_types: ["Blog Posts"], auto_research: true, factual_content: false };

async function metricsOf(website: JsonObject | null, research: JsonObject | null = RESEARCH, selectedPlatforms?: string[]): Promise<QualityMetrics> {
  const { persona } = await generatePersona({ website, research, ...(selectedPlatforms ? { selectedPlatforms } : {}) });
  expect(Object.keys(persona.qualityMetrics).sort()).toEqual(["completeness", "overall", "platform_coverage", "style_consistency"]);
  return persona.qualityMetrics as unknown as QualityMetrics;
}

function siteWith(analysis: JsonObject): JsonObject {
  return { website: "https://example.com", analysis };
}

describe("quality metrics, hand-computed", () => {
  it("scores a small fixture exactly", async () => {
    // 7 of 14 inputs present; formal (1.0) vs casual (0.1) agree 0.1; blog tailored, tiktok not.
    const metrics = await metricsOf(siteWith({ writing_style: { tone: "formal" }, recommended_settings: { writing_tone: "casual" } }), RESEARCH, [
      "blog",
      "tiktok",
    ]);

    expect(metrics).toEqual({ completeness: 50, style_consistency: 10, platform_coverage: 50, overall: 36 });
  });

  it("compares complexity signals and formality against the reading level", async () => {
    // formality [professional 0.8]; complexity [advanced 0.85, grade 11 → 0.5]:
    // pairs 1 − 0.35 = 0.65 and 1 − |0.8 − 0.5| = 0.7 → 67.5; 2 of 14 inputs → 14.3; derived platforms all tailored.
    const website = siteWith({ writing_style: { tone: "professional", complexity: "advanced" }, metrics: { reading_level: 11 } });

    const metrics = await metricsOf(website, null);

    expect(metrics).toEqual({ completeness: 14.3, style_consistency: 67.5, platform_coverage: 100, overall: 54.3 });
  });
});

describe("completeness", () => {
  const full: JsonObject = siteWith({
    writing_style: { tone: "friendly" },
    content_characteristics: { vocabulary_level: "simple" },
    target_audience: { primary: "parents" },
    content_type: { primary_type: "blog" },
    recommended_settings: { writing_tone: "friendly" },
    brand_analysis: { brand_values: ["care"] },
    content_strategy_insights: { strengths: ["recipes"] },
    style_patterns: { sentence_length: "short" },
    style_guidelines: { guidelines: ["keep it warm"] },
  });

  it("is 100 with every input present and falls with each one removed", async () => {
    const scores = [await metricsOf(full)];
    const analysis = { ...(full.analysis as JsonObject) };
    for (const field of Object.keys(analysis)) {
      delete analysis[field];
      scores.push(await metricsOf({ website: "https://example.com", analysis: { ...analysis } }));
    }
    scores.push(await metricsOf({ analysis: {} }), await metricsOf(null, { research_depth: "Basic" }), await metricsOf(null, null));

    expect(scores[0]?.completeness).toBe(100);
    const completeness = scores.map((metrics) => metrics.completeness);
    for (let index = 1; index < completeness.length; index += 1) {
      expect(completeness[index]).toBeLessThan(completeness[index - 1] ?? 0);
    }
    expect(completeness.at(-1)).toBe(0);
  });

  it("does not count empty objects, blank strings or an unknown research depth", async () => {
    const hollow = siteWith({ writing_style: {}, target_audience: { primary: "  " }, brand_analysis: { values: [] } });
    const research = { research_depth: "Deepest", content_types: [], auto_research: "yes", factual_content: null };

    expect((await metricsOf(hollow, research)).completeness).toBe(7.1);
  });
});

describe("style consistency", () => {
  it("drops when the tone signals disagree", async () => {
    const agreeing = await metricsOf(siteWith({ writing_style: { tone: "professional" }, recommended_settings: { writing_tone: "professional" } }));
    const conflicting = await metricsOf(siteWith({ writing_style: { tone: "professional" }, recommended_settings: { writing_tone: "playful" } }));

    expect(agreeing.style_consistency).toBe(100);
    expect(conflicting.style_consistency).toBeLessThan(agreeing.style_consistency);
  });

  it("reads the tone markers of the page metrics as a signal", async () => {
    const formalPage = await metricsOf(siteWith({ writing_style: { tone: "formal" }, metrics: { tone_markers: { formal: 12, informal: 1 } } }));
    const casualPage = await metricsOf(siteWith({ writing_style: { tone: "formal" }, metrics: { tone_markers: { formal: 1, informal: 12 } } }));

    expect(formalPage.style_consistency).toBeGreaterThan(casualPage.style_consistency);
  });

  it("drops when a formal tone meets an easy reading level", async () => {
    const matched = await metricsOf(siteWith({ writing_style: { tone: "formal academic" }, metrics: { reading_level: 16 } }));
    const mismatched = await metricsOf(siteWith({ writing_style: { tone: "formal academic" }, metrics: { reading_level: 6 } }));

    expect(matched.style_consistency).toBe(100);
    expect(mismatched.style_consistency).toBe(0);
  });

  it("is the stated neutral value when no two signals can be compared", async () => {
    expect((await metricsOf(null, null)).style_consistency).toBe(UNKNOWN_CONSISTENCY);
    expect((await metricsOf(siteWith({ writing_style: { tone: "friendly" } }))).style_consistency).toBe(UNKNOWN_CONSISTENCY);
  });
});

describe("platform coverage and overall", () => {
  it("counts the selected platforms that have a tailored profile", async () => {
    expect((await metricsOf(null, null, ["linkedin", "tiktok", "mastodon"])).platform_coverage).toBe(33.3);
    expect((await metricsOf(null, null, ["linkedin", "twitter"])).platform_coverage).toBe(100);
  });

  it("keeps every metric within 0..100 with at most one decimal, and overall the stated weighted mean", async () => {
    const cases = [await metricsOf(null, null), await metricsOf(siteWith({ writing_style: { tone: "warm" } }), RESEARCH, ["tiktok"])];
    for (const metrics of cases) {
      for (const value of Object.values(metrics)) {
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(100);
        expect(Math.round(value * 10) / 10).toBe(value);
      }
      const weighted =
        OVERALL_WEIGHTS.completeness * metrics.completeness +
        OVERALL_WEIGHTS.style_consistency * metrics.style_consistency +
        OVERALL_WEIGHTS.platform_coverage * metrics.platform_coverage;
      expect(metrics.overall).toBeCloseTo(weighted, 1);
    }
  });
});
