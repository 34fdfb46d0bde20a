import type { JsonObject } from "../../onboarding/onboarding-record.js";
import { plainStep, type StepDefinition } from "../../onboarding/step-definition.js";
import { websiteStepSchema } from "./website-analysis-schema.js";

/** Step 2 completes with a website and its analysis (sent, or made by POST /website/analyze). */
export const websiteAnalysisDefinition: StepDefinition = plainStep(2, "Website analysis", websiteStepSchema as never, (stored: JsonObject | null) => {
  if (stored === null || typeof stored.website !== "string") return ["save your website first"];
  const analysis = stored.analysis as JsonObject | undefined;
  if (analysis === undefined || analysis === null) return ["analyse your website (POST /website/analyze) or send its analysis"];
  if (analysis.status === "failed") return ["the website analysis failed; analyse it again"];
  return [];
});
