import { audienceHints, type AudienceHint } from "./audience-hints.js";
import { extractPage, type ExtractedPage, type PageStructure } from "./extract-page.js";
import { personUse, type PersonUse } from "./person-use.js";
import { readingLevel, round, type ReadingLevel } from "./reading-level.js";
import { sentencesOf } from "./text-units.js";
import { toneMarkers, type ToneMarkers } from "./tone-markers.js";
import { topicTerms, type TopicTerm } from "./topic-terms.js";

/**
 * Everything measured on the page without a language model: the same HTML always gives the same
 * metrics, and they stay beside whatever a model adds. Keys are snake_case like the rest of the
 * step 2 answer.
 */
export type PageMetrics = {
  title: string | null;
  meta_description: string | null;
  language: string | null;
  word_count: number;
  sentence_count: number;
  /** Words per sentence. */
  avg_sentence_length: number;
  /** Letters and digits per word. */
  avg_word_length: number;
  reading_level: ReadingLevel;
  tone_markers: ToneMarkers;
  person_use: PersonUse;
  headings: { h1: string[]; h2: string[]; h3: string[] };
  topics: TopicTerm[];
  audience_hints: AudienceHint[];
  structure: PageStructure;
};

export function computePageMetrics(html: string): PageMetrics {
  return metricsOf(extractPage(html));
}

export function metricsOf(page: ExtractedPage): PageMetrics {
  const sentences = sentencesOf(page.blocks);
  const words = sentences.flatMap((sentence) => sentence.words);
  return {
    title: page.title,
    meta_description: page.metaDescription,
    language: page.language,
    word_count: words.length,
    sentence_count: sentences.length,
    avg_sentence_length: sentences.length === 0 ? 0 : round(words.length / sentences.length, 1),
    avg_word_length: words.length === 0 ? 0 : round(letterCount(words) / words.length, 1),
    reading_level: readingLevel(sentences),
    tone_markers: toneMarkers(sentences),
    person_use: personUse(words),
    headings: { h1: [...page.headings.h1], h2: [...page.headings.h2], h3: [...page.headings.h3] },
    topics: topicTerms(words),
    audience_hints: audienceHints(words, page.structure.code_blocks),
    structure: { ...page.structure },
  };
}

function letterCount(words: readonly string[]): number {
  return words.reduce((sum, word) => sum + word.replace(/[^\p{L}\p{N}]/gu, "").length, 0);
}
