import { STOP_WORDS } from "./word-lists.js";

export type TopicTerm = { term: string; count: number };

/**
 * The page's most frequent content words: lower-cased, stop words, numbers and words under three
 * letters dropped, possessive `'s` folded into its word. Ties go alphabetically, so the same page
 * always gives the same list.
 */
export function topicTerms(words: readonly string[], limit = 10): TopicTerm[] {
  const counts = new Map<string, number>();
  for (const word of words) {
    const term = word.toLowerCase().replace(/'s$/, "");
    if (!isTopical(term)) continue;
    counts.set(term, (counts.get(term) ?? 0) + 1);
  }
  return [...counts]
    .map(([term, count]) => ({ term, count }))
    .sort((a, b) => b.count - a.count || (a.term < b.term ? -1 : a.term > b.term ? 1 : 0))
    .slice(0, limit);
}

function isTopical(term: string): boolean {
  return term.length >= 3 && !STOP_WORDS.has(term) && !/^\p{N}+$/u.test(term) && !term.includes("'");
}
