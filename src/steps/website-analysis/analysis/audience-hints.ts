import { AUDIENCE_VOCABULARIES, type AudienceVocabulary } from "./word-lists.js";

export type AudienceHint = {
  audience: string;
  /** How many signals were found; a code listing counts as one for developers. */
  score: number;
  /** The signals themselves, most frequent first (at most five). */
  evidence: string[];
};

/** A single stray word ("store", "guide") says little; two signals make a hint. */
const MIN_SCORE = 2;

/** Who the page seems written for, strongest first, from fixed vocabularies (word-lists.ts). */
export function audienceHints(words: readonly string[], codeBlocks: number): AudienceHint[] {
  const lower = words.map((word) => word.toLowerCase());
  const joined = ` ${lower.join(" ")} `;
  return AUDIENCE_VOCABULARIES.map((vocabulary) => hintFor(vocabulary, lower, joined, codeBlocks))
    .filter((hint) => hint.score >= MIN_SCORE)
    .sort((a, b) => b.score - a.score || (a.audience < b.audience ? -1 : 1));
}

function hintFor(vocabulary: AudienceVocabulary, words: readonly string[], joined: string, codeBlocks: number): AudienceHint {
  const found = new Map<string, number>();
  for (const word of words) {
    if (vocabulary.terms.has(word)) found.set(word, (found.get(word) ?? 0) + 1);
  }
  for (const phrase of vocabulary.phrases) {
    const occurrences = occurrencesOf(` ${phrase} `, joined);
    if (occurrences > 0) found.set(phrase, occurrences);
  }
  if (vocabulary.audience === "developers" && codeBlocks > 0) found.set("code listings", codeBlocks);
  const evidence = [...found].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return {
    audience: vocabulary.audience,
    score: evidence.reduce((sum, [, count]) => sum + count, 0),
    evidence: evidence.slice(0, 5).map(([signal]) => signal),
  };
}

/** Resumes at the match's closing space, so back-to-back occurrences both count. */
function occurrencesOf(needle: string, haystack: string): number {
  let count = 0;
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + needle.length - 1)) count += 1;
  return count;
}
