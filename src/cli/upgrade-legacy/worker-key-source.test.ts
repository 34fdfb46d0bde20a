import { randomBytes } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { apiKeyContext, SecretCipher } from "../../crypto/secret-cipher.js";
import { openTestDatabase, type TestDatabase } from "../../test-support/test-database.js";
import { createLegacyDatabase } from "./legacy-fixture.js";
import { query } from "./raw-sql.js";
import type { SealedBatch, SealedKeySource } from "./sealed-key-source.js";
import { startWorkerKeySource } from "./worker-key-source.js";

describe("the key sealing worker", () => {
  let test: TestDatabase;
  let path: string;
  const key = randomBytes(32);
  const cipher = SecretCipher.fromBase64(key.toString("base64"));

  beforeEach(async () => {
    test = await openTestDatabase("sqlite", { migrate: false });
    await createLegacyDatabase(test.database);
    if (test.location?.dialect !== "sqlite") throw new Error("a SQLite test database has a file location");
    path = test.location.path;
  });

  afterEach(async () => {
    await test.cleanup();
  });

  it("seals every key whose session exists, in id order, as SecretCipher.seal would, each with its own nonce", async () => {
    const live = await query<{ id: number; key: string; user_id: string; provider: string }>(
      test.database.kysely,
      `select c.id, c."key" as key, cast(s.user_id as text) as user_id, c.provider
       from api_keys c join onboarding_sessions s on s.id = c.session_id order by c.id`,
    );
    const batches = await drain(startWorkerKeySource(path, { key, version: 1 }, cipher));
    const sealed = batches.flatMap((batch) => Array.from(batch.ids, (id, index) => ({ id, ciphertext: batch.ciphertext(index), last4: batch.last4(index) })));

    expect(sealed.map((one) => one.id)).toEqual(live.map((row) => row.id));
    sealed.forEach((one, index) => {
      const row = live[index]!;
      expect(cipher.open({ ciphertext: one.ciphertext, keyVersion: 1 }, apiKeyContext(row.user_id, row.provider))).toBe(row.key);
      expect(one.last4).toBe(cipher.seal(row.key, "any").last4);
    });
    const nonces = sealed.map((one) => Buffer.from(one.ciphertext, "base64").subarray(0, 12).toString("hex"));
    expect(new Set(nonces).size).toBe(nonces.length);
  });

  it("fails, rather than store keys nobody can open, when its key is not the cipher's", async () => {
    const source = startWorkerKeySource(path, { key: randomBytes(32), version: 1 }, cipher);
    await expect(drain(source)).rejects.toThrow(/does not open with the cipher's key version 1/);
  });

  it("fails with the worker's error when it cannot read the backup", async () => {
    const source = startWorkerKeySource(`${path}.missing`, { key, version: 1 }, cipher);
    await expect(drain(source)).rejects.toThrow(/key sealing worker/);
  });
});

async function drain(source: SealedKeySource): Promise<SealedBatch[]> {
  const batches: SealedBatch[] = [];
  try {
    for (let batch = await source.next(true); batch; batch = await source.next(true)) batches.push(batch);
  } finally {
    await source.close();
  }
  return batches;
}
