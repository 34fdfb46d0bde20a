import { randomBytes } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { SecretCipher } from "../../crypto/secret-cipher.js";
import { createLegacyDatabase, createLegacySchema } from "../../test-support/legacy/legacy-fixture.js";
import { dumpTables, insertBadRow, removeBackup, upgraderFor } from "../../test-support/legacy/upgrade-test-support.js";
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from "../../test-support/test-database.js";
import type { LegacyBackup } from "./legacy-upgrader.js";
import { classifyShape } from "./legacy/legacy-shape.js";
import { LEGACY_TABLES } from "./legacy/legacy-table-plan.js";
import { query } from "./shared/raw-sql.js";
import { LegacyShapeRefused, LegacyUpgradeFailed, upgradeLegacy } from "./upgrade-legacy.js";

const cipher = SecretCipher.fromBase64(randomBytes(32).toString("base64"));

describe.each(TEST_DIALECTS)("upgrade-legacy failures on %s", (dialect) => {
  let test: TestDatabase;
  const backups: LegacyBackup[] = [];

  afterEach(async () => {
    for (const backup of backups.splice(0)) await removeBackup(test.database, backup);
    await test.cleanup();
  });

  async function upgrade() {
    const upgrader = upgraderFor(test);
    try {
      const report = await upgradeLegacy(upgrader, { cipher });
      if (report.status === "upgraded") backups.push(report.backup);
      return report;
    } catch (error) {
      if (error instanceof LegacyUpgradeFailed) backups.push(error.backup);
      throw error;
    } finally {
      await upgrader.close();
    }
  }

  async function backupCount(): Promise<number> {
    if (dialect === "sqlite") return readdirSync(test.tempDir).filter((name) => name.includes(".legacy-backup-")).length;
    const rows = await query(test.database.kysely, `select 1 from pg_namespace where nspname like 'legacy\\_backup\\_%${test.schema ?? ""}'`);
    return rows.length;
  }

  it("refuses an empty database without making a backup", async () => {
    test = await openTestDatabase(dialect, { migrate: false });
    await expect(upgrade()).rejects.toThrow(new LegacyShapeRefused("the database has no onboarding tables: nothing to upgrade (run `migrate` to create them)"));
    expect(await backupCount()).toBe(0);
  });

  it("refuses a shape that is neither legacy nor ours, naming what differs, and changes nothing", async () => {
    test = await openTestDatabase(dialect, { migrate: false });
    await createLegacySchema(test.database);
    await sql`alter table api_keys add column rotated_at text`.execute(test.database.kysely);
    await sql`create table step_states (session_id integer)`.execute(test.database.kysely);
    const before = await dumpTables(test.database, LEGACY_TABLES);
    const refusal = upgrade();
    await expect(refusal).rejects.toThrow(LegacyShapeRefused);
    await expect(refusal).rejects.toThrow(/api_keys\.rotated_at is not a column of the old platform.*table step_states exists/);
    expect(await dumpTables(test.database, LEGACY_TABLES)).toBe(before);
    expect(await backupCount()).toBe(0);
  });

  it("rolls everything back and keeps the backup when the rebuild fails, then succeeds once the data is fixed", async () => {
    test = await openTestDatabase(dialect, { migrate: false });
    await createLegacyDatabase(test.database);
    const fix = await insertBadRow(test);
    const before = await dumpTables(test.database, LEGACY_TABLES);

    const failure = await upgrade().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(LegacyUpgradeFailed);
    const failed = failure as LegacyUpgradeFailed;
    expect(failed.databaseUnchanged).toBe(true);
    expect(failed.message).toMatch(dialect === "sqlite" ? /session 8: user_id contains the control character U\+0007/ : /unicode|\\u0000/i);
    expect(await dumpTables(test.database, LEGACY_TABLES)).toBe(before);
    expect(classifyShape(await upgraderFor(test).readTables()).kind).toBe("legacy");
    if (failed.backup.kind === "sqlite-file") expect(existsSync(failed.backup.location)).toBe(true);
    expect(failed.backup.rowCounts.onboarding_sessions).toBe(dialect === "sqlite" ? 8 : 7);

    await fix();
    expect((await upgrade()).status).toBe("upgraded");
    expect(await backupCount()).toBe(2);
  });
});

// PostgreSQL keeps only valid text in a text column: bytes that are not UTF-8 exist only in SQLite files.
describe("upgrade-legacy on sqlite and user ids that are not UTF-8", () => {
  let test: TestDatabase;

  afterEach(async () => {
    await test.cleanup();
  });

  it("refuses a user id whose bytes are not UTF-8, naming the session, and changes nothing", async () => {
    test = await openTestDatabase("sqlite", { migrate: false });
    await createLegacyDatabase(test.database);
    // 'user_' then 0xFF: read back as text it would be "user_\uFFFD", a different id from the one stored.
    await sql`insert into onboarding_sessions (id, user_id) values (8, cast(x'757365725fff' as text))`.execute(test.database.kysely);
    const before = await dumpTables(test.database, LEGACY_TABLES);

    const upgrader = upgraderFor(test);
    const failure = await upgradeLegacy(upgrader, { cipher }).finally(() => upgrader.close()).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(LegacyUpgradeFailed);
    expect((failure as LegacyUpgradeFailed).message).toMatch(/session 8: user_id is not valid UTF-8/);
    expect((failure as LegacyUpgradeFailed).databaseUnchanged).toBe(true);
    expect(existsSync((failure as LegacyUpgradeFailed).backup.location)).toBe(true);
    expect(await dumpTables(test.database, LEGACY_TABLES)).toBe(before);
  });
});
