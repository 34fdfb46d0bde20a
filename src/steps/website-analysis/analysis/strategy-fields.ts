import type { JsonObject } from "../../../onboarding/onboarding-record.js";
import type { PageMetrics } from "./page-metrics.js";
import { complexityOf, voiceOf } from "./style-fields.js";

/** Who the site is for and what to do next: the five strategy fields, by fixed rules. */
export function strategyFields(metrics: PageMetrics): {
  target_audience: JsonObject;
  content_type: JsonObject;
  recommended_settings: JsonObject;
  brand_analysis: JsonObject;
  content_strategy_insights: JsonObject;
} {
  const audience = primaryAudienceOf(metrics);
  const contentType = contentTypeOf(metrics, audience);
  return {
    target_audience: targetAudience(metrics, audience),
    content_type: { primary: contentType, format: formatOf(metrics), title: metrics.title, description: metrics.meta_description },
    recommended_settings: recommendedSettings(metrics, audience, contentType),
    brand_analysis: brandAnalysis(metrics),
    content_strategy_insights: strategyInsights(metrics),
  };
}

function primaryAudienceOf(metrics: PageMetrics): string {
  return metrics.audience_hints[0]?.audience ?? "general readers";
}

function targetAudience(metrics: PageMetrics, primary: string): JsonObject {
  return {
    primary,
    hints: metrics.audience_hints.map((hint) => hint.audience),
    expertise_level: expertiseOf(metrics),
    language: metrics.language,
  };
}

/** Beginner vocabulary wins over grade: a guide for beginners can still use long words. */
function expertiseOf(metrics: PageMetrics): string {
  if (metrics.audience_hints.some((hint) => hint.audience === "beginners")) return "beginner";
  const complexity = complexityOf(metrics);
  if (complexity === "advanced" || complexity === "complex") return "advanced";
  if (complexity === "moderate") return "intermediate";
  return "general";
}

const CONTENT_TYPES: Record<string, string> = {
  developers: "technical documentation",
  beginners: "educational guide",
  business: "business and marketing",
  marketers: "business and marketing",
  consumers: "product and e-commerce",
  researchers: "research and analysis",
};

function contentTypeOf(metrics: PageMetrics, audience: string): string {
  if (metrics.structure.code_blocks > 0) return "technical documentation";
  return CONTENT_TYPES[audience] ?? "informational";
}

function formatOf(metrics: PageMetrics): string {
  if (metrics.word_count < 300) return "short page";
  if (metrics.word_count < 1200) return "article";
  return "long-form";
}

function recommendedSettings(metrics: PageMetrics, audience: string, contentType: string): JsonObject {
  return {
    writing_tone: metrics.tone_markers.tone,
    target_audience: audience,
    content_type: contentType,
    content_length: contentLengthOf(metrics),
    reading_level: metrics.reading_level.label,
    voice: voiceOf(metrics),
    creativity_level: CREATIVITY[metrics.tone_markers.tone] ?? "medium",
    language: metrics.language ?? "en",
  };
}

const CREATIVITY: Record<string, string> = { enthusiastic: "high", conversational: "medium", formal: "low" };

/** Suggested lengths follow what the site already publishes, one band up for thin pages. */
function contentLengthOf(metrics: PageMetrics): string {
  if (metrics.word_count < 600) return "medium (600-1000 words)";
  if (metrics.word_count < 1500) return "long (1000-1500 words)";
  return "long-form (1500+ words)";
}

function brandAnalysis(metrics: PageMetrics): JsonObject {
  return {
    site_title: metrics.title,
    tagline: metrics.meta_description,
    brand_voice: `${metrics.tone_markers.tone}, ${voiceOf(metrics)}`,
    key_terms: metrics.topics.slice(0, 5).map((topic) => topic.term),
    messaging_style: MESSAGING[metrics.person_use.dominant] ?? "balanced",
    sentiment: sentimentOf(metrics),
  };
}

const MESSAGING: Record<string, string> = {
  we: "company-centred: talks about itself (we, our)",
  you: "reader-centred: talks to the reader (you, your)",
  i: "personal: a single author's voice (I, my)",
  none: "impersonal",
};

function sentimentOf(metrics: PageMetrics): string {
  const { positive_words: positive, negative_words: negative } = metrics.tone_markers;
  if (positive > negative) return "positive";
  if (negative > positive) return "negative";
  return "neutral";
}

function strategyInsights(metrics: PageMetrics): JsonObject {
  return {
    strengths: strengthsOf(metrics),
    opportunities: opportunitiesOf(metrics),
    focus_topics: metrics.topics.map((topic) => topic.term),
  };
}

function strengthsOf(metrics: PageMetrics): string[] {
  const strengths: string[] = [];
  if (metrics.word_count > 0 && metrics.reading_level.flesch_reading_ease >= 60) strengths.push("Easy to read");
  if (metrics.headings.h2.length > 0) strengths.push("Clear structure with subheadings");
  if (metrics.person_use.dominant === "you") strengths.push("Speaks directly to the reader");
  if (metrics.meta_description !== null) strengths.push("Has a meta description for search results");
  if (metrics.structure.images > 0) strengths.push("Uses images alongside text");
  return strengths;
}

function opportunitiesOf(metrics: PageMetrics): string[] {
  const opportunities: string[] = [];
  if (metrics.word_count > 0 && metrics.reading_level.flesch_reading_ease < 50) opportunities.push("Shorten sentences and prefer plainer words");
  if (metrics.headings.h1.length !== 1) opportunities.push(`Use exactly one H1 heading (found ${metrics.headings.h1.length})`);
  if (metrics.meta_description === null) opportunities.push("Add a meta description");
  if (metrics.word_count < 300) opportunities.push("Add more substantive text (under 300 words on the page)");
  if (metrics.person_use.you < metrics.person_use.we) opportunities.push("Address the reader more directly (you, your)");
  return opportunities;
}
