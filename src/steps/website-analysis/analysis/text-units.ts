export type SentenceEnding = "statement" | "question" | "exclamation" | "none";

export interface Sentence {
  readonly words: readonly string[];
  readonly ending: SentenceEnding;
}

/**
 * A word: letters and digits, with inner apostrophes, dots and commas kept, so `don't`, `3.5`,
 * `1,000` and `example.com` count once. Hyphens and other punctuation separate words.
 */
const WORD = /[\p{L}\p{N}]+(?:['’.,][\p{L}\p{N}]+)*/gu;
export function wordsOf(text: string): string[] {
  return Array.from(text.matchAll(WORD), (match) => match[0].replace(/’/g, "'"));
}

/**
 * The sentences of a page's blocks. Each block ends whatever sentence is open, so a heading or a
 * list item without a full stop is a sentence of its own, as a reader would take it.
 */
export function sentencesOf(blocks: readonly string[]): Sentence[] {
  return blocks.flatMap(sentencesOfBlock);
}

function sentencesOfBlock(block: string): Sentence[] {
  const sentences: Sentence[] = [];
  let pending: string[] = [];
  for (const piece of splitAtTerminators(block)) {
    pending = pending.concat(wordsOf(piece.text));
    if (piece.terminator === "" || pending.length === 0) continue;
    sentences.push({ words: pending, ending: endingOf(piece.terminator) });
    pending = [];
  }
  if (pending.length > 0) sentences.push({ words: pending, ending: "none" });
  return sentences;
}

interface Piece {
  readonly text: string;
  readonly terminator: string;
}

/**
 * A sentence ends at a run of `.`, `!` or `?` followed by a space or the end of its block, so
 * `3.5` and `example.com` do not split one. Known limit: abbreviations (`e.g. this`) do.
 */
function splitAtTerminators(block: string): Piece[] {
  const pieces: Piece[] = [];
  let start = 0;
  for (const match of block.matchAll(/[.!?]+(?=\s|$)/gu)) {
    pieces.push({ text: block.slice(start, match.index), terminator: match[0] });
    start = match.index + match[0].length;
  }
  pieces.push({ text: block.slice(start), terminator: "" });
  return pieces;
}

/** `?!` and `!?` count as exclamations: the emphasis is the louder signal of tone. */
function endingOf(terminator: string): SentenceEnding {
  if (terminator.includes("!")) return "exclamation";
  if (terminator.includes("?")) return "question";
  return "statement";
}

/**
 * English syllables by the usual heuristic: vowel groups, less a silent final `e`/`es`/`ed`,
 * at least one. Digits-only words count one. Deterministic, and close enough for Flesch scores.
 */
export function syllablesOf(word: string): number {
  const letters = word.toLowerCase().replace(/[^a-z]/g, "");
  if (letters.length === 0) return 1;
  if (letters.length <= 3) return 1;
  const trimmed = letters.replace(/(?:[^laeiouy]es|ed|[^laeiouy]e)$/, "").replace(/^y/, "");
  return Math.max(1, trimmed.match(/[aeiouy]{1,2}/g)?.length ?? 0);
}
