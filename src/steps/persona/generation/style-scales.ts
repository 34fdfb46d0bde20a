import type { JsonValue } from "../../../onboarding/onboarding-record.js";
import { asObject, listOf, textOf } from "./json-reading.js";

/**
 * Free-text style words placed on two 0..1 axes so that signals from different sources
 * (the model's analysis, our page metrics, the recommended settings) can be compared.
 * Formality: 0 casual … 1 formal. Complexity: 0 plain … 1 specialist.
 */

const FORMALITY_WORDS: ReadonlyArray<readonly [string, number]> = [
  ["formal", 1], ["academic", 1], ["scholarly", 0.95], ["authoritative", 0.85], ["corporate", 0.85],
  ["professional", 0.8], ["technical", 0.8], ["serious", 0.8], ["analytical", 0.75], ["objective", 0.7],
  ["neutral", 0.6], ["informative", 0.6], ["informational", 0.6], ["educational", 0.6], ["instructive", 0.6],
  ["confident", 0.6], ["persuasive", 0.5], ["balanced", 0.5], ["inspirational", 0.4], ["motivational", 0.4],
  ["engaging", 0.35], ["empathetic", 0.35], ["approachable", 0.3], ["friendly", 0.3], ["warm", 0.3],
  ["enthusiastic", 0.3], ["conversational", 0.25], ["personal", 0.25], ["witty", 0.15], ["casual", 0.1],
  ["playful", 0.1], ["humor", 0.1], ["irreverent", 0.05], ["informal", 0], ["slang", 0],
];

const COMPLEXITY_WORDS: ReadonlyArray<readonly [string, number]> = [
  ["elementary", 0.1], ["simple", 0.15], ["basic", 0.15], ["beginner", 0.15], ["easy", 0.15], ["plain", 0.15],
  ["accessible", 0.25], ["general", 0.4], ["moderate", 0.5], ["intermediate", 0.5], ["medium", 0.5],
  ["standard", 0.5], ["average", 0.5], ["high school", 0.5], ["professional", 0.7], ["college", 0.75],
  ["technical", 0.8], ["advanced", 0.85], ["complex", 0.85], ["sophisticated", 0.85], ["expert", 0.9],
  ["specialist", 0.9], ["specialized", 0.9], ["graduate", 0.9], ["academic", 0.95], ["scholarly", 0.95],
];

/** Mean score of the scale words a text contains; undefined when it names none. */
function scoreText(text: string | undefined, words: ReadonlyArray<readonly [string, number]>): number | undefined {
  if (text === undefined) return undefined;
  const lower = text.toLowerCase();
  const scores = words.filter(([word]) => new RegExp(`\\b${word}`).test(lower)).map(([, score]) => score);
  return scores.length === 0 ? undefined : scores.reduce((sum, score) => sum + score, 0) / scores.length;
}

export function formalityOfText(text: string | undefined): number | undefined {
  return scoreText(text, FORMALITY_WORDS);
}

export function complexityOfText(text: string | undefined): number | undefined {
  return scoreText(text, COMPLEXITY_WORDS);
}

/**
 * Tone markers as page metrics report them: counts per marker ({formal: 2, casual: 9}),
 * weighted by count, or a plain list or sentence of marker words.
 */
export function formalityOfMarkers(markers: JsonValue | undefined): number | undefined {
  const counts = asObject(markers);
  if (counts === undefined) return formalityOfText(textOf(markers) ?? listOf(markers).join(" "));
  let weighted = 0;
  let total = 0;
  for (const [marker, count] of Object.entries(counts)) {
    const score = formalityOfText(marker);
    if (score === undefined || typeof count !== "number" || !(count > 0)) continue;
    weighted += score * count;
    total += count;
  }
  return total === 0 ? undefined : weighted / total;
}

/**
 * A reading level on the complexity axis. Numbers up to 20 are school grades (grade 6 → 0,
 * grade 16 → 1, linear between); larger numbers can only be a Flesch reading ease (0..100,
 * higher is easier). Text is read with the complexity words ("college", "Grade 8" → 8).
 */
export function complexityOfReadingLevel(level: JsonValue | undefined): number | undefined {
  if (typeof level === "number") return complexityOfNumber(level);
  const text = textOf(level);
  const grade = text === undefined ? undefined : /\d+(?:\.\d+)?/.exec(text)?.[0];
  return grade !== undefined ? complexityOfNumber(Number(grade)) : complexityOfText(text);
}

export function complexityOfReadingEase(ease: number): number {
  return clamp01(1 - ease / 100);
}

function complexityOfNumber(value: number): number | undefined {
  if (!Number.isFinite(value) || value < 0) return undefined;
  return value <= 20 ? clamp01((value - 6) / 10) : complexityOfReadingEase(value);
}

export function formalityLabel(formality: number): "casual" | "balanced" | "formal" {
  if (formality < 0.35) return "casual";
  return formality < 0.65 ? "balanced" : "formal";
}

export function complexityLabel(complexity: number): "accessible" | "intermediate" | "advanced" {
  if (complexity < 0.35) return "accessible";
  return complexity < 0.65 ? "intermediate" : "advanced";
}

export function clamp01(value: number): number {
  return Math.min(1, Math.max(0, value));
}

export function mean(values: readonly number[]): number | undefined {
  return values.length === 0 ? undefined : values.reduce((sum, value) => sum + value, 0) / values.length;
}
