import { FIRST_PERSON_PLURAL, FIRST_PERSON_SINGULAR, SECOND_PERSON } from "./word-lists.js";

export type PersonUse = {
  /** we, us, our… */
  we: number;
  /** you, your… */
  you: number;
  /** I, me, my… */
  i: number;
  /** The most used of the three; "mixed" on a tie for first, "none" when none occurs. */
  dominant: "we" | "you" | "i" | "mixed" | "none";
};

export function personUse(words: readonly string[]): PersonUse {
  // "US" in capitals is the country far more often than the pronoun.
  const pronouns = words.filter((word) => word !== "US").map((word) => word.toLowerCase());
  const counts = {
    we: pronouns.filter((word) => FIRST_PERSON_PLURAL.has(word)).length,
    you: pronouns.filter((word) => SECOND_PERSON.has(word)).length,
    i: pronouns.filter((word) => FIRST_PERSON_SINGULAR.has(word)).length,
  };
  return { ...counts, dominant: dominantOf(counts) };
}

function dominantOf(counts: { we: number; you: number; i: number }): PersonUse["dominant"] {
  const highest = Math.max(counts.we, counts.you, counts.i);
  if (highest === 0) return "none";
  const leaders = (["we", "you", "i"] as const).filter((person) => counts[person] === highest);
  return leaders.length === 1 && leaders[0] !== undefined ? leaders[0] : "mixed";
}
