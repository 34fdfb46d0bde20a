import type { JsonObject } from "../../../onboarding/onboarding-record.js";

/** The nine objects of a step 2 analysis (SPEC §4 step 2 payload), in the old platform's order. */
export const ANALYSIS_FIELD_NAMES = [
  "writing_style",
  "content_characteristics",
  "target_audience",
  "content_type",
  "recommended_settings",
  "brand_analysis",
  "content_strategy_insights",
  "style_patterns",
  "style_guidelines",
] as const;

export type AnalysisFieldName = (typeof ANALYSIS_FIELD_NAMES)[number];
export type AnalysisFields = Record<AnalysisFieldName, JsonObject>;

export function emptyAnalysisFields(): AnalysisFields {
  return Object.fromEntries(ANALYSIS_FIELD_NAMES.map((name) => [name, {}])) as AnalysisFields;
}
