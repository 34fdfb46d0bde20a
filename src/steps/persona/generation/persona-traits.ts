import type { ResearchDepth } from "./persona-types.js";
import type { complexityLabel, formalityLabel } from "./style-scales.js";

/** Fixed wording the deterministic persona is assembled from; no randomness, so no surprises. */

export type Formality = ReturnType<typeof formalityLabel>;
export type Complexity = ReturnType<typeof complexityLabel>;

export const ARCHETYPES = ["Analyst", "Educator", "Storyteller", "Authority", "Friendly Guide", "Trusted Advisor"] as const;
export type Archetype = (typeof ARCHETYPES)[number];

export interface ArchetypeClues {
  readonly formality: number;
  readonly complexity: number;
  /** Content types, content purpose and primary type, lower-cased. */
  readonly mentions: string;
  readonly factual: boolean;
  readonly depth: ResearchDepth | undefined;
}

/** First rule that fits wins; the order puts the most specific evidence first. */
export function archetypeOf(clues: ArchetypeClues): Archetype {
  const deepResearch = clues.depth === "Comprehensive" || clues.depth === "Expert";
  if (clues.complexity >= 0.65 && (clues.factual || deepResearch)) return "Analyst";
  if (/educat|tutorial|guide|how-to|course|learn|explain/.test(clues.mentions)) return "Educator";
  if (/story|stories|narrative|case stud|podcast|video/.test(clues.mentions)) return "Storyteller";
  if (clues.formality >= 0.65) return "Authority";
  if (clues.formality < 0.35) return "Friendly Guide";
  return "Trusted Advisor";
}

export const ARCHETYPE_BELIEFS: Readonly<Record<Archetype, string>> = {
  Analyst: "Decisions deserve evidence: every claim is backed and every number explained.",
  Educator: "Anyone can master a topic when it is explained clearly, one step at a time.",
  Storyteller: "People remember stories, not statements.",
  Authority: "Expertise shared plainly builds lasting trust.",
  "Friendly Guide": "Helpful advice should feel like a conversation with a friend.",
  "Trusted Advisor": "Useful, honest guidance earns the reader's trust.",
};

export const DEFAULT_TONES: Readonly<Record<Formality, string>> = {
  casual: "friendly and conversational",
  balanced: "clear and approachable",
  formal: "professional and authoritative",
};

export const PERMISSIBLE_TONES: Readonly<Record<Formality, readonly string[]>> = {
  casual: ["friendly", "conversational", "playful"],
  balanced: ["informative", "approachable", "confident"],
  formal: ["professional", "authoritative", "informative"],
};

export const FORBIDDEN_TONES: Readonly<Record<Formality, readonly string[]>> = {
  casual: ["stiff", "bureaucratic", "condescending"],
  balanced: ["condescending", "overly formal", "hype-driven"],
  formal: ["slangy", "flippant", "overly casual"],
};

export const CONTRACTIONS: Readonly<Record<Formality, string>> = {
  casual: "use freely",
  balanced: "use where they sound natural",
  formal: "avoid",
};

export const SENTENCE_HABITS: Readonly<Record<Complexity, { words: number; type: string }>> = {
  accessible: { words: 14, type: "short, direct sentences" },
  intermediate: { words: 18, type: "a mix of short and medium sentences" },
  advanced: { words: 22, type: "longer sentences with precise subordinate clauses, broken up by short ones" },
};

export const RESEARCH_HABITS: Readonly<Record<ResearchDepth, string>> = {
  Basic: "check key facts against one or two reputable sources",
  Standard: "back the main points with a few reputable sources",
  Comprehensive: "survey several sources, compare viewpoints and include data",
  Expert: "go to primary sources and studies, weigh the evidence and state its limits",
};

export function factualEmphasis(factual: boolean | undefined): string {
  return factual === true
    ? "every claim of fact is sourced; data comes before opinion"
    : "opinion and experience are welcome; facts are sourced when used";
}

const PERSPECTIVES: Readonly<Record<string, string>> = {
  we: "first person plural: the brand speaks as \"we\"",
  you: "second person: speaks directly to the reader as \"you\"",
  i: "first person singular: a personal \"I\"",
};

/** The spellings page metrics may use for each person's count. */
const PERSON_KEYS: Readonly<Record<string, readonly string[]>> = {
  we: ["we", "first_person_plural"],
  you: ["you", "second_person"],
  i: ["i", "first_person_singular"],
};

/** The dominant grammatical person in page metrics ({we: 12, you: 30, i: 2}) or a word naming it. */
export function perspectiveOf(person: Readonly<Record<string, unknown>> | string | undefined): string | undefined {
  if (typeof person === "string") return PERSPECTIVES[person.trim().toLowerCase()];
  if (person === undefined) return undefined;
  let best: string | undefined;
  let bestCount = 0;
  for (const [perspective, keys] of Object.entries(PERSON_KEYS)) {
    const count = keys.map((key) => person[key]).find((value) => typeof value === "number");
    if (typeof count === "number" && count > bestCount) {
      best = perspective;
      bestCount = count;
    }
  }
  return best === undefined ? undefined : PERSPECTIVES[best];
}
