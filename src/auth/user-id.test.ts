import { describe, expect, it } from "vitest";
import { isValidUserId, userIdProblem } from "./user-id.js";

describe("userIdProblem", () => {
  it.each(["42", "user_2abcDEF", "a".repeat(255), "😀".repeat(255), "name with spaces"])("accepts %j", (id) => {
    expect(userIdProblem(id)).toBeUndefined();
  });

  it("counts characters, not UTF-16 units or bytes", () => {
    expect(userIdProblem("😀".repeat(256))).toBe("is 256 characters long; at most 255 are allowed");
  });

  it.each([
    ["", "must not be empty"],
    ["tab\there", "contains the control character U+0009"],
    ["del\u007f", "contains the control character U+007F"],
    ["c1\u0085", "contains the control character U+0085"],
    ["user_\ud800", "contains an unpaired surrogate"],
    ["user_\udc00", "contains an unpaired surrogate"],
    ["user_\udc00\ud800", "contains an unpaired surrogate"],
  ])("refuses %j", (id, problem) => {
    expect(userIdProblem(id)).toBe(problem);
  });
});

describe("isValidUserId", () => {
  it("refuses non-strings", () => {
    expect(isValidUserId(42)).toBe(false);
    expect(isValidUserId(undefined)).toBe(false);
    expect(isValidUserId(["user"])).toBe(false);
  });

  it("accepts a valid string", () => {
    expect(isValidUserId("user_1")).toBe(true);
  });
});
