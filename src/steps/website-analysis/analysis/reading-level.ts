import { syllablesOf, type Sentence } from "./text-units.js";

export type ReadingLevel = {
  flesch_reading_ease: number;
  flesch_kincaid_grade: number;
  syllables_per_word: number;
  /** Flesch's own bands, from "very easy" to "very difficult"; "not enough text" without words. */
  label: string;
};

/** Lower bounds of Flesch's reading-ease bands, highest first. */
const BANDS: readonly (readonly [number, string])[] = [
  [90, "very easy"],
  [80, "easy"],
  [70, "fairly easy"],
  [60, "standard"],
  [50, "fairly difficult"],
  [30, "difficult"],
];

export function readingLevel(sentences: readonly Sentence[]): ReadingLevel {
  const words = sentences.flatMap((sentence) => sentence.words);
  if (words.length === 0) return { flesch_reading_ease: 0, flesch_kincaid_grade: 0, syllables_per_word: 0, label: "not enough text" };
  const wordsPerSentence = words.length / sentences.length;
  const syllablesPerWord = words.reduce((sum, word) => sum + syllablesOf(word), 0) / words.length;
  const ease = 206.835 - 1.015 * wordsPerSentence - 84.6 * syllablesPerWord;
  const grade = 0.39 * wordsPerSentence + 11.8 * syllablesPerWord - 15.59;
  return {
    flesch_reading_ease: round(ease, 1),
    flesch_kincaid_grade: round(grade, 1),
    syllables_per_word: round(syllablesPerWord, 2),
    label: BANDS.find(([lowest]) => ease >= lowest)?.[1] ?? "very difficult",
  };
}

/** Rounds half away from zero at `digits` decimals; every metric is rounded the same way. */
export function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return (Math.sign(value) * Math.round(Math.abs(value) * factor)) / factor;
}
