import type { AnalysisFields } from "./analysis-fields.js";
import type { PageMetrics } from "./page-metrics.js";
import { strategyFields } from "./strategy-fields.js";
import { styleFields } from "./style-fields.js";

/** All nine analysis fields from the metrics alone: what a user gets without a language model. */
export function deterministicAnalysis(metrics: PageMetrics): AnalysisFields {
  const style = styleFields(metrics);
  const strategy = strategyFields(metrics);
  return {
    writing_style: style.writing_style,
    content_characteristics: style.content_characteristics,
    target_audience: strategy.target_audience,
    content_type: strategy.content_type,
    recommended_settings: strategy.recommended_settings,
    brand_analysis: strategy.brand_analysis,
    content_strategy_insights: strategy.content_strategy_insights,
    style_patterns: style.style_patterns,
    style_guidelines: style.style_guidelines,
  };
}
