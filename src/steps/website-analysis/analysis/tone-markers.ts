import { round } from "./reading-level.js";
import type { Sentence } from "./text-units.js";
import { FORMAL_MARKERS, INFORMAL_MARKERS, NEGATIVE_WORDS, POSITIVE_WORDS } from "./word-lists.js";

export type ToneMarkers = {
  exclamations: number;
  questions: number;
  /** Share of sentences ending in `!` / `?`, 0..1. */
  exclamation_rate: number;
  question_rate: number;
  formal_markers: number;
  informal_markers: number;
  contractions: number;
  positive_words: number;
  negative_words: number;
  /** A reading of the counts above: enthusiastic, conversational, formal, inquisitive or neutral. */
  tone: string;
};

export function toneMarkers(sentences: readonly Sentence[]): ToneMarkers {
  const words = sentences.flatMap((sentence) => sentence.words.map((word) => word.toLowerCase()));
  const counts = {
    exclamations: sentences.filter((sentence) => sentence.ending === "exclamation").length,
    questions: sentences.filter((sentence) => sentence.ending === "question").length,
    formal_markers: countIn(words, FORMAL_MARKERS),
    informal_markers: countIn(words, INFORMAL_MARKERS),
    contractions: words.filter((word) => word.includes("'")).length,
    positive_words: countIn(words, POSITIVE_WORDS),
    negative_words: countIn(words, NEGATIVE_WORDS),
  };
  const exclamationRate = rate(counts.exclamations, sentences.length);
  const questionRate = rate(counts.questions, sentences.length);
  return {
    ...counts,
    exclamation_rate: exclamationRate,
    question_rate: questionRate,
    tone: toneOf(counts, exclamationRate, questionRate, words.length),
  };
}

type Counts = Omit<ToneMarkers, "exclamation_rate" | "question_rate" | "tone">;

/** Rules in order of how strongly a reader notices them; the first that holds names the tone. */
function toneOf(counts: Counts, exclamationRate: number, questionRate: number, wordCount: number): string {
  const casual = counts.informal_markers + counts.contractions;
  if (exclamationRate >= 0.15 || (wordCount > 0 && counts.positive_words / wordCount >= 0.05)) return "enthusiastic";
  if (casual > counts.formal_markers && casual > 0) return "conversational";
  if (counts.formal_markers > casual) return "formal";
  if (questionRate >= 0.2) return "inquisitive";
  return "neutral";
}

function countIn(words: readonly string[], vocabulary: ReadonlySet<string>): number {
  return words.filter((word) => vocabulary.has(word)).length;
}

function rate(count: number, total: number): number {
  return total === 0 ? 0 : round(count / total, 3);
}
