import { describe, expect, it } from "vitest";
import { deepMerge } from "./deep-merge.js";

describe("deepMerge", () => {
  it("lets the overlay win at any depth and keeps what it omits", () => {
    const base = { name: "base", tone: { default_tone: "calm", formality: "balanced" }, kept: 1 };

    expect(deepMerge(base, { name: "model", tone: { default_tone: "bold" }, added: true })).toEqual({
      name: "model",
      tone: { default_tone: "bold", formality: "balanced" },
      kept: 1,
      added: true,
    });
    expect(base.tone.default_tone).toBe("calm");
  });

  it("treats a null in the overlay as not provided", () => {
    expect(deepMerge({ archetype: "Educator", tone: { formality: "formal" } }, { archetype: null, tone: { formality: null } })).toEqual({
      archetype: "Educator",
      tone: { formality: "formal" },
    });
  });

  it("replaces arrays and values of another kind whole", () => {
    expect(deepMerge({ tones: ["a", "b"], voice: { perspective: "we" } }, { tones: ["c"], voice: "plain" })).toEqual({
      tones: ["c"],
      voice: "plain",
    });
  });
});
