import { randomBytes } from "node:crypto";
import { statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { apiKeyContext, SecretCipher } from "../../crypto/secret-cipher.js";
import { openTestDatabase, type TestDatabase } from "../../test-support/test-database.js";
import { createLegacyDatabase } from "./legacy-fixture.js";
import { query } from "./raw-sql.js";
import { startSealingWorker } from "./sealing-worker.js";

describe("the key sealing worker", () => {
  let test: TestDatabase;
  let path: string;
  let sealedPath: string;
  const key = randomBytes(32);
  const cipher = SecretCipher.fromBase64(key.toString("base64"));

  beforeEach(async () => {
    test = await openTestDatabase("sqlite", { migrate: false });
    await createLegacyDatabase(test.database);
    if (test.location?.dialect !== "sqlite") throw new Error("a SQLite test database has a file location");
    path = test.location.path;
    sealedPath = join(test.tempDir, "sealed-keys.db");
  });

  afterEach(async () => {
    await test.cleanup();
  });

  it("seals every key whose session exists into its file, as SecretCipher.seal would, each with its own nonce", async () => {
    const live = await query<{ id: number; key: string; user_id: string; provider: string }>(
      test.database.kysely,
      `select c.id, c."key" as key, cast(s.user_id as text) as user_id, c.provider
       from api_keys c join onboarding_sessions s on s.id = c.session_id order by c.id`,
    );
    const file = startSealingWorker(path, sealedPath, { key, version: 1 });
    try {
      expect(await file.sealed()).toBe(live.length);
    } finally {
      await file.close();
    }
    const db = new SqliteDatabase(sealedPath, { readonly: true });
    const sealed = db.prepare("select id, ciphertext, last4 from sealed_keys order by id").all() as { id: number; ciphertext: string; last4: string }[];
    const probes = db.prepare("select id from probes").pluck().all();
    db.close();

    expect(sealed.map((one) => one.id)).toEqual(live.map((row) => row.id));
    expect(probes).toEqual([live[0]?.id]);
    sealed.forEach((one, index) => {
      const row = live[index]!;
      expect(cipher.open({ ciphertext: one.ciphertext, keyVersion: 1 }, apiKeyContext(row.user_id, row.provider))).toBe(row.key);
      expect(one.last4).toBe(cipher.seal(row.key, "any").last4);
      expect(one.ciphertext).not.toContain(row.key);
    });
    const nonces = sealed.map((one) => Buffer.from(one.ciphertext, "base64").subarray(0, 12).toString("hex"));
    expect(new Set(nonces).size).toBe(nonces.length);
  });

  it("replaces what a killed run left at its path with a file readable by its owner only", async () => {
    writeFileSync(sealedPath, "left by a run that was killed", { mode: 0o644 });
    const file = startSealingWorker(path, sealedPath, { key, version: 1 });
    expect(await file.sealed().finally(() => file.close())).toBeGreaterThan(0);
    expect(statSync(sealedPath).mode & 0o777).toBe(0o600);
  });

  it("fails with the worker's error when it cannot read the backup", async () => {
    const file = startSealingWorker(`${path}.missing`, sealedPath, { key, version: 1 });
    await expect(file.sealed().finally(() => file.close())).rejects.toThrow(/key sealing worker failed/);
  });
});
