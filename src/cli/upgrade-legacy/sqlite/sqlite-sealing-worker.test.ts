import { randomBytes } from "node:crypto";
import { statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { apiKeyContext, SecretCipher } from "../../../crypto/secret-cipher.js";
import { createLegacyDatabase } from "../../../test-support/legacy/legacy-fixture.js";
import { openTestDatabase, type TestDatabase } from "../../../test-support/test-database.js";
import { captureInitialSchemaDdl } from "../shared/our-schema-ddl.js";
import { execute, query } from "../shared/raw-sql.js";
import { workerKeysSql } from "./sqlite-keys.js";
import { renameCreatedTable } from "./sqlite-rebuild.js";
import { startSealingWorker, type SealingWorkerOptions } from "./sqlite-sealing-worker.js";
import { runValueChecks } from "./sqlite-value-checks.js";

describe("the key sealing worker", () => {
  let test: TestDatabase;
  let options: SealingWorkerOptions;
  const key = randomBytes(32);
  const cipher = SecretCipher.fromBase64(key.toString("base64"));

  beforeEach(async () => {
    test = await openTestDatabase("sqlite", { migrate: false });
    await createLegacyDatabase(test.database);
    if (test.location?.dialect !== "sqlite") throw new Error("a SQLite test database has a file location");
    const createTable = (await captureInitialSchemaDdl("sqlite")).get("api_keys") ?? "";
    options = {
      backupPath: test.location.path,
      path: join(test.tempDir, "keys.upgrade-sealed-keys"),
      sealingKey: { key, version: cipher.currentVersion },
      createTableSql: renameCreatedTable(createTable, "api_keys"),
      insertSql: workerKeysSql("2026-01-01T00:00:00.000Z", cipher.currentVersion),
    };
  });

  afterEach(async () => {
    await test.cleanup();
  });

  it("builds our api_keys rows of every key whose session exists, sealed as SecretCipher.seal would, each with its own nonce; then checks the values", async () => {
    const live = await query<{ id: number; key: string; user_id: string; provider: string }>(
      test.database.kysely,
      `select c.id, c."key" as key, cast(s.user_id as text) as user_id, c.provider
       from api_keys c join onboarding_sessions s on s.id = c.session_id order by c.id`,
    );
    const table = startSealingWorker(options);
    const [built, checks] = await Promise.all([table.built(), table.checks()]).finally(() => table.close());
    const db = new SqliteDatabase(options.path, { readonly: true });
    const rows = db.prepare("select id, key_ciphertext, key_last4, key_version from api_keys__upgrade order by id").all() as {
      id: number;
      key_ciphertext: string;
      key_last4: string;
      key_version: number;
    }[];
    const probes = db.prepare("select id from probes").pluck().all();
    db.close();

    expect(built).toMatchObject({ rows: live.length });
    expect(rows.map((row) => row.id)).toEqual(live.map((row) => row.id));
    expect(probes).toEqual([live[0]?.id]);
    rows.forEach((row, index) => {
      const legacy = live[index]!;
      expect(cipher.open({ ciphertext: row.key_ciphertext, keyVersion: row.key_version }, apiKeyContext(legacy.user_id, legacy.provider))).toBe(legacy.key);
      expect(row.key_last4).toBe(cipher.seal(legacy.key, "any").last4);
      expect(row.key_version).toBe(cipher.currentVersion);
      expect(row.key_ciphertext).not.toContain(legacy.key);
    });
    const nonces = rows.map((row) => Buffer.from(row.key_ciphertext, "base64").subarray(0, 12).toString("hex"));
    expect(new Set(nonces).size).toBe(nonces.length);
    const legacy = new SqliteDatabase(options.backupPath, { readonly: true });
    expect(checks).toEqual(runValueChecks(legacy));
    legacy.close();
  });

  it("reports duplicates, which our unique constraint refuses, instead of a table", async () => {
    await execute(
      test.database.kysely,
      `insert into api_keys (session_id, provider, "key", created_at, updated_at)
       select session_id, provider, 'sk-duplicate', created_at, updated_at from api_keys where session_id = (select min(id) from onboarding_sessions) limit 1`,
    );
    expect(await build(options)).toEqual({ duplicates: true });
  });

  it("replaces what a killed run left at its path with a file readable by its owner only", async () => {
    writeFileSync(options.path, "left by a run that was killed", { mode: 0o644 });
    expect(await build(options)).toMatchObject({ rows: expect.any(Number) });
    expect(statSync(options.path).mode & 0o777).toBe(0o600);
  });

  it("fails with the worker's error when it cannot read the backup", async () => {
    await expect(build({ ...options, backupPath: `${options.backupPath}.missing` })).rejects.toThrow(/key sealing worker failed/);
  });
});

async function build(options: SealingWorkerOptions): Promise<unknown> {
  const table = startSealingWorker(options);
  try {
    return await table.built();
  } finally {
    await table.close();
  }
}
