import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { MAX_USER_ID_LENGTH } from "../auth/user-id.js";
import { PROGRESS_FILE_PATTERN, progressFileName } from "./progress-file-name.js";

/** File systems allow 255 bytes in one name (ext4, XFS, btrfs, APFS, NTFS). */
const NAME_MAX_BYTES = 255;
const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

describe("progress file names", () => {
  it("are the old platform's for every id whose old name fits in 255 bytes, up to 229 characters", () => {
    expect(progressFileName("user_2abc123xyz")).toBe(".onboarding_progress_user_2abc123xyz.json");
    expect(progressFileName("a.b@c/d")).toBe(".onboarding_progress_a_b_c_d.json");
    const longest = "u".repeat(229);
    expect(progressFileName(longest)).toBe(`.onboarding_progress_${longest}.json`);
    expect(Buffer.byteLength(progressFileName(longest))).toBe(NAME_MAX_BYTES);
  });

  it("stay within 255 bytes for every valid id, whatever its characters", () => {
    for (const character of ["u", "é", ".", "日", "😀"]) {
      for (let length = 1; length <= MAX_USER_ID_LENGTH; length++) {
        const name = progressFileName(character.repeat(length));
        expect(Buffer.byteLength(name), `${length} × ${character}`).toBeLessThanOrEqual(NAME_MAX_BYTES);
        expect(name, `${length} × ${character}`).toMatch(PROGRESS_FILE_PATTERN);
      }
    }
  });

  it("keep a readable start of a longer id and the SHA-256 of all of it", () => {
    const id = `user_${"x".repeat(220)}@example.com`;
    expect(progressFileName(id)).toBe(`.onboarding_progress_user_${"x".repeat(123)}.${sha256(id)}.json`);
    expect(PROGRESS_FILE_PATTERN.exec(progressFileName(id))?.slice(1)).toEqual([`user_${"x".repeat(123)}`, sha256(id)]);
    expect(PROGRESS_FILE_PATTERN.exec(progressFileName("user_a"))?.slice(1)).toEqual(["user_a", undefined]);
  });

  it("differ for any two long ids, even those the old rule would have given one name", () => {
    const base = "y".repeat(240);
    const ids = [`${base}.a`, `${base}_a`, `${base}@a`, `${base}_b`, `a.${base}`, `a_${base}`, "😀".repeat(255), "😁".repeat(255)];
    expect(new Set(ids.map(progressFileName)).size).toBe(ids.length);
    // Nor can a shortened name be any short id's old name: those hold no "." before ".json".
    for (const id of ids) expect(progressFileName(id)).not.toMatch(/^\.onboarding_progress_[A-Za-z0-9_-]*\.json$/);
  });
});
