import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { SqliteDialect, sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { SecretCipher } from "../../crypto/secret-cipher.js";
import { databaseFromDialect, type Database } from "../../db/database.js";
import { createLegacyDatabase } from "../../test-support/legacy/legacy-fixture.js";
import { dumpTables, upgraderFor } from "../../test-support/legacy/upgrade-test-support.js";
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from "../../test-support/test-database.js";
import { cliEnv, dropBackupSchemas, needsReachableDatabase, runUntilPausedThenKill } from "../cli-test-support.js";
import type { LegacyUpgrader } from "./legacy-upgrader.js";
import { classifyShape } from "./legacy/legacy-shape.js";
import { LEGACY_TABLES } from "./legacy/legacy-table-plan.js";
import { PAUSE_POINTS } from "./pause-point.js";
import { quoted } from "./shared/quoted.js";
import { query } from "./shared/raw-sql.js";
import { SqliteLegacyUpgrader } from "./sqlite/sqlite-legacy-upgrader.js";
import { upgradeLegacy } from "./upgrade-legacy.js";

/** The legacy database under test: on SQLite a file with the old platform's rollback journal, on PostgreSQL the test schema. */
interface Target {
  readonly database: Database;
  readonly env: Record<string, string>;
  upgrader(): LegacyUpgrader;
  /** SQLite: the database file's bytes, to show the killed transaction had written into it. */
  fileHash?: () => string;
  backupDump(): Promise<string>;
  /** SQLite: the sealed keys file a killed run could not delete (ciphertexts only; the next run replaces it). */
  leftovers?: () => string[];
  close(): Promise<void>;
}

describe.each(TEST_DIALECTS)("upgrade-legacy killed with kill -9 on %s", async (dialect) => {
  const probe = await openTestDatabase(dialect, { migrate: false });
  const skip = needsReachableDatabase(probe);
  await probe.cleanup();
  let test: TestDatabase;
  let target: Target;

  afterEach(async () => {
    await target.close();
    await dropBackupSchemas(test);
    await test.cleanup();
  });

  it.skipIf(skip !== undefined).each(PAUSE_POINTS)(
    "at %s leaves the legacy rows untouched and the backup intact; a re-run completes",
    async (point) => {
      test = await openTestDatabase(dialect, { migrate: false });
      target = dialect === "sqlite" ? await sqliteTarget(test) : await postgresTarget(test);
      const before = await dumpTables(target.database, LEGACY_TABLES);
      const fileBefore = target.fileHash?.();

      await runUntilPausedThenKill(["upgrade-legacy"], { ...target.env, UPGRADE_LEGACY_PAUSE_AT: point }, point);
      // Inside the transaction the rebuild has already spilled pages into the file: only the hot
      // journal's rollback (on the next open) can bring the rows back.
      if (fileBefore !== undefined && point !== "after-backup") expect(target.fileHash?.()).not.toBe(fileBefore);

      expect(await dumpTables(target.database, LEGACY_TABLES)).toBe(before);
      expect(classifyShape(await target.upgrader().readTables()).kind).toBe("legacy");
      expect(await target.backupDump()).toBe(before);
      const plaintextKeys = (await query<{ key: string }>(target.database.kysely, `select "key" as key from api_keys`)).map((row) => row.key);
      for (const leftover of target.leftovers?.() ?? []) {
        const bytes = readFileSync(leftover);
        expect(plaintextKeys.filter((key) => bytes.includes(key))).toEqual([]);
      }
      const upgrader = target.upgrader();
      try {
        const cipher = SecretCipher.fromBase64(target.env.ENCRYPTION_KEY ?? "");
        expect((await upgradeLegacy(upgrader, { cipher })).status).toBe("upgraded");
      } finally {
        await upgrader.close();
      }
      expect(classifyShape(await target.upgrader().readTables()).kind).toBe("current");
      expect(target.leftovers?.() ?? []).toEqual([]);
    },
    60_000,
  );
});

async function sqliteTarget(test: TestDatabase): Promise<Target> {
  const path = join(test.tempDir, "legacy.db");
  const database = databaseFromDialect("sqlite", new SqliteDialect({ database: new SqliteDatabase(path) }));
  await createLegacyDatabase(database);
  // Enough rows that the rebuild outgrows SQLite's page cache and writes into the file before committing.
  await sql`with recursive n(x) as (select 1 union all select x + 1 from n where x < 80000)
            insert into onboarding_sessions (user_id, current_step, progress, started_at, updated_at)
            select 'bulk_' || x || '_' || ${"p".repeat(240)}, 1, 0, '2024-01-01 00:00:00', '2024-01-01 00:00:00' from n`.execute(
    database.kysely,
  );
  return {
    database,
    fileHash: () => createHash("sha256").update(readFileSync(path)).digest("hex"),
    env: { ...cliEnv(test), DATABASE_URL: `sqlite:${path}` },
    upgrader: () => new SqliteLegacyUpgrader(path),
    backupDump: async () => {
      const [name, ...others] = readdirSync(test.tempDir).filter((file) => file.startsWith("legacy.legacy-backup-"));
      if (name === undefined || others.length > 0) throw new Error(`expected one backup, found ${[name, ...others].join(", ")}`);
      expect(statSync(join(test.tempDir, name)).mode & 0o777).toBe(0o600);
      const backup = databaseFromDialect("sqlite", new SqliteDialect({ database: new SqliteDatabase(join(test.tempDir, name)) }));
      try {
        return await dumpTables(backup, LEGACY_TABLES);
      } finally {
        await backup.close();
      }
    },
    leftovers: () => readdirSync(test.tempDir).filter((file) => file.endsWith(".upgrade-sealed-keys")).map((file) => join(test.tempDir, file)),
    close: () => database.close(),
  };
}

async function postgresTarget(test: TestDatabase): Promise<Target> {
  await createLegacyDatabase(test.database);
  return {
    database: test.database,
    env: cliEnv(test),
    upgrader: () => upgraderFor(test),
    backupDump: async () => {
      const schemas = await query<{ nspname: string }>(
        test.database.kysely,
        `select nspname from pg_namespace where nspname like 'legacy\\_backup\\_%\\_${test.schema ?? ""}'`,
      );
      const [schema, ...others] = schemas.map((row) => row.nspname);
      if (schema === undefined || others.length > 0) throw new Error(`expected one backup schema, found ${schemas.length}`);
      const dump: Record<string, unknown[]> = {};
      for (const table of LEGACY_TABLES) {
        dump[table] = await query(test.database.kysely, `select * from ${quoted(schema)}.${quoted(table)} order by id`);
      }
      return JSON.stringify(dump);
    },
    close: async () => undefined,
  };
}
