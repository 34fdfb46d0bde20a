import type { JsonObject } from "../../onboarding/onboarding-record.js";
import { plainStep, type StepDefinition } from "../../onboarding/step-definition.js";
import { websiteStepSchema } from "./website-analysis-schema.js";
import { ANALYSIS_FIELDS } from "../../onboarding/analysis-fields.js";

/** Step 2 completes with a website and its analysis (sent, or made by POST /website/analyze). */
export const websiteAnalysisDefinition: StepDefinition = plainStep(2, "Website analysis", websiteStepSchema as never, (stored: JsonObject | null) => {
  if (stored === null || typeof stored.website !== "string") return ["save your website first"];
  const analysis = stored.analysis as JsonObject | undefined;
  if (analysis === undefined || analysis === null) return ["analyse your website first, or send its analysis"];
  if (analysis.status === "failed") return ["the website analysis failed; analyse it again"];
  if (analysis.status === "in_progress") return ["the website analysis is still running; wait for it to finish"];
  if (!ANALYSIS_FIELDS.some((field) => hasContent(analysis[field]))) return [`the analysis has none of its fields (${ANALYSIS_FIELDS.join(", ")})`];
  return [];
});

function hasContent(value: unknown): boolean {
  return typeof value === "object" && value !== null && Object.keys(value).length > 0;
}
