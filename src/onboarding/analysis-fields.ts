/**
 * The nine objects of a step 2 analysis (SPEC §4 step 2 payload), in the old platform's order.
 * Shared here because step 4 reads them too, and steps never import each other.
 */
export const ANALYSIS_FIELDS = [
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

export type AnalysisFieldName = (typeof ANALYSIS_FIELDS)[number];
