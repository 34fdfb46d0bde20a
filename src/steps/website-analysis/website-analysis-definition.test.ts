import { describe, expect, it } from "vitest";
import type { JsonObject } from "../../onboarding/onboarding-record.js";
import type { StepUseContext } from "../../onboarding/step-definition.js";
import { sampleStepData } from "../../test-support/sample-steps.js";
import { websiteAnalysisDefinition } from "./website-analysis-definition.js";

const CONTEXT: StepUseContext = { userId: "user_2abc123xyz", environmentProviders: new Set() };
const SAVE_WEBSITE = "save your website first";
const ANALYSE = "analyse your website first, or send its analysis";
const FAILED = "the website analysis failed; analyse it again";
const EMPTY =
  "the analysis has none of its fields (writing_style, content_characteristics, target_audience, content_type, recommended_settings, brand_analysis, content_strategy_insights, style_patterns, style_guidelines)";

describe("step 2 completion rules", () => {
  it.each<{ label: string; stored: JsonObject | null; message: string }>([
    { label: "nothing saved", stored: null, message: SAVE_WEBSITE },
    { label: "an analysis without a website", stored: { analysis: { writing_style: {} } }, message: SAVE_WEBSITE },
    { label: "a website that is not text", stored: { website: 42 }, message: SAVE_WEBSITE },
    { label: "a website without an analysis", stored: { website: "https://example.com" }, message: ANALYSE },
    { label: "a website with a null analysis", stored: { website: "https://example.com", analysis: null }, message: ANALYSE },
    {
      label: "a failed analysis",
      stored: { website: "https://example.com", analysis: { status: "failed", error_message: "the page answered 404" } },
      message: FAILED,
    },
    {
      label: "an analysis still running",
      stored: { website: "https://example.com", analysis: { status: "in_progress", writing_style: { tone: "warm" } } },
      message: "the website analysis is still running; wait for it to finish",
    },
    { label: "an empty analysis", stored: { website: "https://example.com", analysis: {} }, message: EMPTY },
    { label: "an analysis whose fields are all empty", stored: { website: "https://example.com", analysis: { writing_style: {}, status: "completed" } }, message: EMPTY },
  ])("refuses $label with its message", ({ stored, message }) => {
    expect(websiteAnalysisDefinition.completionErrors(stored, CONTEXT)).toEqual([message]);
  });

  it.each<{ label: string; stored: JsonObject }>([
    { label: "a completed analysis", stored: sampleStepData(2, "done") },
    { label: "an analysis the client sent without a status", stored: { website: "https://example.com", analysis: { writing_style: { tone: "warm" } } } },
  ])("completes with $label", ({ stored }) => {
    expect(websiteAnalysisDefinition.completionErrors(stored, CONTEXT)).toEqual([]);
  });
});

describe("step 2 stored and shown as sent", () => {
  it("stores and shows the data as the client sent it", () => {
    const data = sampleStepData(2, "plain");

    expect(websiteAnalysisDefinition.toStored(data, null, CONTEXT)).toBe(data);
    expect(websiteAnalysisDefinition.present(data)).toBe(data);
    expect(websiteAnalysisDefinition.present(null)).toBeNull();
  });

  it("describes a save for the log", () => {
    expect(websiteAnalysisDefinition.describeSave(sampleStepData(2, "log"))).toEqual(["Website analysis"]);
  });
});
