import type { JsonObject } from "../../../onboarding/onboarding-record.js";
import type { PageMetrics } from "./page-metrics.js";

/** How the site writes: the four style fields, read off the metrics by fixed rules. */
export function styleFields(metrics: PageMetrics): {
  writing_style: JsonObject;
  content_characteristics: JsonObject;
  style_patterns: JsonObject;
  style_guidelines: JsonObject;
} {
  return {
    writing_style: writingStyle(metrics),
    content_characteristics: contentCharacteristics(metrics),
    style_patterns: stylePatterns(metrics),
    style_guidelines: styleGuidelines(metrics),
  };
}

const VOICES: Record<PageMetrics["person_use"]["dominant"], string> = {
  we: "first person plural (we, our)",
  you: "second person (you, your)",
  i: "first person singular (I, my)",
  mixed: "mixed persons",
  none: "impersonal (third person)",
};

export function voiceOf(metrics: PageMetrics): string {
  return VOICES[metrics.person_use.dominant];
}

/** Flesch-Kincaid grade bands: school years of reading the text asks for. */
export function complexityOf(metrics: PageMetrics): string {
  if (metrics.word_count === 0) return "unknown";
  const grade = metrics.reading_level.flesch_kincaid_grade;
  if (grade <= 6) return "simple";
  if (grade <= 10) return "moderate";
  if (grade <= 14) return "advanced";
  return "complex";
}

export function sentenceLengthOf(metrics: PageMetrics): string {
  if (metrics.avg_sentence_length < 12) return "short";
  if (metrics.avg_sentence_length <= 20) return "medium";
  return "long";
}

function writingStyle(metrics: PageMetrics): JsonObject {
  const tone = metrics.tone_markers;
  return {
    tone: tone.tone,
    voice: voiceOf(metrics),
    complexity: complexityOf(metrics),
    reading_level: metrics.reading_level.label,
    formality: formalityOf(tone.formal_markers, tone.informal_markers + tone.contractions),
    engagement_level: engagementOf(metrics),
  };
}

function formalityOf(formal: number, casual: number): string {
  if (formal > casual) return "formal";
  if (casual > formal) return "informal";
  return "neutral";
}

/** Questions and direct address invite the reader in; their share of the text sets the level. */
function engagementOf(metrics: PageMetrics): string {
  if (metrics.word_count === 0) return "unknown";
  const youPer100 = (metrics.person_use.you / metrics.word_count) * 100;
  const signals = metrics.tone_markers.question_rate + metrics.tone_markers.exclamation_rate;
  if (youPer100 >= 2 || signals >= 0.2) return "high";
  if (youPer100 > 0 || signals > 0) return "medium";
  return "low";
}

function contentCharacteristics(metrics: PageMetrics): JsonObject {
  const headings = metrics.headings.h1.length + metrics.headings.h2.length + metrics.headings.h3.length;
  return {
    word_count: metrics.word_count,
    sentence_count: metrics.sentence_count,
    paragraph_count: metrics.structure.paragraphs,
    average_sentence_length: metrics.avg_sentence_length,
    average_word_length: metrics.avg_word_length,
    sentence_structure: sentenceLengthOf(metrics),
    vocabulary_level: metrics.avg_word_length < 4.5 ? "plain" : metrics.avg_word_length < 5.5 ? "moderate" : "sophisticated",
    uses_headings: headings > 0,
    uses_lists: metrics.structure.lists > 0,
    uses_code_examples: metrics.structure.code_blocks > 0,
    link_count: metrics.structure.links,
    image_count: metrics.structure.images,
  };
}

function stylePatterns(metrics: PageMetrics): JsonObject {
  return {
    sentence_length: sentenceLengthOf(metrics),
    average_sentence_length: metrics.avg_sentence_length,
    question_rate: metrics.tone_markers.question_rate,
    exclamation_rate: metrics.tone_markers.exclamation_rate,
    contractions: metrics.tone_markers.contractions,
    pronoun_usage: { we: metrics.person_use.we, you: metrics.person_use.you, i: metrics.person_use.i },
    heading_counts: { h1: metrics.headings.h1.length, h2: metrics.headings.h2.length, h3: metrics.headings.h3.length },
    recurring_terms: metrics.topics.slice(0, 5).map((topic) => topic.term),
  };
}

function styleGuidelines(metrics: PageMetrics): JsonObject {
  const guidelines = [
    `Keep the ${metrics.tone_markers.tone} tone.`,
    `Write in the ${voiceOf(metrics)}.`,
    `Aim for about ${Math.max(1, Math.round(metrics.avg_sentence_length))} words per sentence.`,
    `Target a Flesch reading ease near ${Math.round(metrics.reading_level.flesch_reading_ease)} (${metrics.reading_level.label}).`,
  ];
  if (metrics.headings.h2.length > 0) guidelines.push("Break content into sections with descriptive subheadings.");
  if (metrics.tone_markers.contractions > 0) guidelines.push("Contractions are part of the voice; use them.");
  return {
    tone: metrics.tone_markers.tone,
    voice: voiceOf(metrics),
    guidelines,
    vocabulary: metrics.topics.slice(0, 5).map((topic) => topic.term),
    avoid: avoidances(metrics),
  };
}

function avoidances(metrics: PageMetrics): string[] {
  const avoid: string[] = [];
  if (metrics.tone_markers.formal_markers === 0) avoid.push("stiff formal connectors (furthermore, hence)");
  if (metrics.tone_markers.exclamations === 0) avoid.push("exclamation marks");
  if (metrics.person_use.i === 0) avoid.push("first person singular (I, my)");
  return avoid;
}
