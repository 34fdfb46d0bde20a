import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadOrCreateDevEncryptionKey } from "./encryption-key-file.js";
import { keyVersionOf, LEGACY_KEY_VERSION } from "./key-version.js";
import { apiKeyContext, last4Of, maskSecret, SecretCipher, SecretDecryptionFailed } from "./secret-cipher.js";

const cipher = SecretCipher.fromBase64(randomBytes(32).toString("base64"));
const context = apiKeyContext("user_1", "openai");

describe("SecretCipher", () => {
  it("opens what it sealed, with a fresh nonce each time and no plaintext in the output", () => {
    const a = cipher.seal("sk-live-abcdefghijkl", context);
    const b = cipher.seal("sk-live-abcdefghijkl", context);
    expect(a.ciphertext).not.toBe(b.ciphertext);
    expect(Buffer.from(a.ciphertext, "base64").toString("latin1")).not.toContain("sk-live");
    expect(a).toMatchObject({ keyVersion: cipher.currentVersion, last4: "ijkl" });
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
    expect(rotated.currentVersion).toBe(2);
    expect(() => cipher.open({ ...sealed, keyVersion: 9 }, context)).toThrow(/version 9/);
  });

  it("derives each key's version from the key: stable, distinct, never the legacy 1, within PostgreSQL's integer", () => {
    const keys = Array.from({ length: 200 }, () => randomBytes(32));
    const versions = keys.map(keyVersionOf);
    expect(keys.map((key) => keyVersionOf(Buffer.from(key)))).toEqual(versions);
    expect(new Set(versions).size).toBe(keys.length);
    for (const version of versions) {
      expect(Number.isInteger(version)).toBe(true);
      expect(version).toBeGreaterThan(LEGACY_KEY_VERSION);
      expect(version).toBeLessThanOrEqual(2 ** 31 - 1);
    }
    const [a, b] = [randomBytes(32), randomBytes(32)];
    expect(SecretCipher.fromBase64(a.toString("base64"), b.toString("base64")).versions).toEqual([keyVersionOf(a), keyVersionOf(b)]);
  });

  it("during a rotation opens the previous key's secrets and seals with the current key only", () => {
    const [previous, current] = [randomBytes(32).toString("base64"), randomBytes(32).toString("base64")];
    const before = SecretCipher.fromBase64(previous).seal("sk-before-rotation", context);
    const rotating = SecretCipher.fromBase64(current, previous);
    expect(rotating.open(before, context)).toBe("sk-before-rotation");
    const after = rotating.seal("sk-after-rotation", context);
    expect(after.keyVersion).toBe(rotating.currentVersion);
    expect(after.keyVersion).not.toBe(before.keyVersion);
    expect(SecretCipher.fromBase64(current).open(after, context)).toBe("sk-after-rotation");
    expect(() => SecretCipher.fromBase64(previous).open(after, context)).toThrow(/no such key version/);
    expect(() => SecretCipher.fromBase64(current, current)).toThrow(/previous encryption key is the current one/);
  });

  it("opens a legacy secret (version 1) with whichever configured key sealed it, and only with that one", () => {
    const [previous, current] = [randomBytes(32), randomBytes(32)];
    const legacy = new SecretCipher(new Map([[LEGACY_KEY_VERSION, previous]]), LEGACY_KEY_VERSION).seal("sk-legacy-key-1", context);
    expect(legacy.keyVersion).toBe(1);
    expect(SecretCipher.fromBase64(current.toString("base64"), previous.toString("base64")).open(legacy, context)).toBe("sk-legacy-key-1");
    expect(SecretCipher.fromBase64(previous.toString("base64")).open(legacy, context)).toBe("sk-legacy-key-1");
    expect(() => SecretCipher.fromBase64(current.toString("base64")).open(legacy, context)).toThrow(/version 1: authentication failed/);
    expect(() => SecretCipher.fromBase64(previous.toString("base64")).open(legacy, apiKeyContext("user_2", "openai"))).toThrow(
      SecretDecryptionFailed,
    );
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
