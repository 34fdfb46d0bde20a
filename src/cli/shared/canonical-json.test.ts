import { describe, expect, it } from "vitest";
import { canonicalJson, sameJson } from "./canonical-json.js";

/** Pairs that canonical JSON calls equal or not; sameJson must say the same of each. */
const PAIRS: readonly (readonly [unknown, unknown])[] = [
  [{ a: 1, b: { c: [1, 2], d: "x" } }, { b: { d: "x", c: [1, 2] }, a: 1 }],
  [{ a: 1, b: undefined }, { a: 1 }],
  [{ a: 1 }, { a: 1, b: null }],
  [[1, undefined], [1, null]],
  [[1, 2], [2, 1]],
  [[1, 2], [1, 2, 3]],
  [{ a: [1, { b: 2 }] }, { a: [1, { b: 3 }] }],
  ["1", 1],
  [null, {}],
  [[], {}],
  [{ key: "sk-a" }, { key: "****sk-a" }],
  [true, true],
  [undefined, null],
];

describe("sameJson", () => {
  it.each(PAIRS.map(([a, b]) => [canonicalJson(a) === canonicalJson(b), a, b] as const))("says %s, as canonical JSON does, of %j and %j", (equal, a, b) => {
    expect(sameJson(a, b)).toBe(equal);
    expect(sameJson(b, a)).toBe(equal);
  });
});
