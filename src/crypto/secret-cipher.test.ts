import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadOrCreateDevEncryptionKey } from "./encryption-key-file.js";
import { apiKeyContext, last4Of, maskSecret, SecretCipher, SecretDecryptionFailed } from "./secret-cipher.js";

const cipher = SecretCipher.fromBase64(randomBytes(32).toString("base64"));
const context = apiKeyContext("user_1", "openai");

describe("SecretCipher", () => {
  it("opens what it sealed, with a fresh nonce each time and no plaintext in the output", () => {
    const a = cipher.seal("sk-live-abcdefghijkl", context);
    const b = cipher.seal("sk-live-abcdefghijkl", context);
    expect(a.ciphertext).not.toBe(b.ciphertext);
    expect(Buffer.from(a.ciphertext, "base64").toString("latin1")).not.toContain("sk-live");
    expect(a).toMatchObject({ keyVersion: 1, last4: "ijkl" });
    expect(cipher.open(a, context)).toBe("sk-live-abcdefghijkl");
  });

  it("gives every sealed value a nonce of its own, however many are sealed", () => {
    const sealed = Array.from({ length: 2_000 }, (_, i) => cipher.seal(`sk-bulk-${i}`, context));
    const nonces = sealed.map((s) => Buffer.from(s.ciphertext, "base64").subarray(0, 12).toString("hex"));
    expect(new Set(nonces).size).toBe(sealed.length);
    expect(sealed.map((s) => cipher.open(s, context))).toEqual(sealed.map((_, i) => `sk-bulk-${i}`));
  });

  it("refuses a ciphertext moved to another user or provider, or tampered with", () => {
    const sealed = cipher.seal("sk-live-abcdefghijkl", context);
    expect(() => cipher.open(sealed, apiKeyContext("user_2", "openai"))).toThrow(SecretDecryptionFailed);
    expect(() => cipher.open(sealed, apiKeyContext("user_1", "gemini"))).toThrow(SecretDecryptionFailed);
    const raw = Buffer.from(sealed.ciphertext, "base64");
    raw[15] = (raw[15] ?? 0) ^ 1;
    expect(() => cipher.open({ ...sealed, ciphertext: raw.toString("base64") }, context)).toThrow(SecretDecryptionFailed);
  });

  it("opens secrets of an older key version after rotation", () => {
    const oldKey = randomBytes(32);
    const sealed = new SecretCipher(new Map([[1, oldKey]]), 1).seal("sk-old-key-12345", context);
    const rotated = new SecretCipher(new Map([[1, oldKey], [2, randomBytes(32)]]), 2);
    expect(rotated.open(sealed, context)).toBe("sk-old-key-12345");
    expect(rotated.seal("sk-new-key-12345", context).keyVersion).toBe(2);
    expect(rotated.currentKeyVersion).toBe(2);
    expect(() => cipher.open({ ...sealed, keyVersion: 9 }, context)).toThrow(/version 9/);
  });

  it("masks as stars for all but the last 4 characters", () => {
    expect(maskSecret(cipher.seal("abcdefghij", context))).toBe("******ghij");
    expect(maskSecret(cipher.seal("abcd", context))).toBe("****");
    expect(cipher.seal("abc", context).last4).toBe("");
    expect(["abcde", "abcd", ""].map(last4Of)).toEqual(["bcde", "", ""]);
  });
});

describe("dev encryption key file", () => {
  it("is created once with mode 0600 and then reused", () => {
    const dir = mkdtempSync(join(tmpdir(), "devkey-"));
    try {
      const first = loadOrCreateDevEncryptionKey(dir);
      const second = loadOrCreateDevEncryptionKey(dir);
      expect(first.created).toBe(true);
      expect(second).toMatchObject({ created: false, key: first.key });
      expect(Buffer.from(first.key, "base64")).toHaveLength(32);
      expect(statSync(first.path).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
