import { statSync } from "node:fs";
import { randomBytes } from "node:crypto";
import type { Kysely } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MIGRATIONS } from "../../db/migrations/migration-list.js";
import { apiKeyContext, SecretCipher } from "../../crypto/secret-cipher.js";
import type { Tables } from "../../db/tables.js";
import { createSessions } from "../../storage/session-rows.js";
import { expectSameValues } from "../../test-support/legacy/fixture-comparison.js";
import { FIXTURE_ROWS, type FixtureRow } from "../../test-support/legacy/legacy-fixture-rows.js";
import { createLegacyDatabase, type FixtureTables } from "../../test-support/legacy/legacy-fixture.js";
import { dumpTables, filesContainAny, removeBackup, schemaSignature, upgraderFor } from "../../test-support/legacy/upgrade-test-support.js";
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from "../../test-support/test-database.js";
import { classifyShape } from "./legacy/legacy-shape.js";
import { CHILD_TABLES, LEGACY_TABLES, OUR_TABLES, type LegacyTableName } from "./legacy/legacy-table-plan.js";
import { query } from "./shared/raw-sql.js";
import { upgradeLegacy } from "./upgrade-legacy.js";
import type { UpgradeReport } from "./upgrade-report.js";

const STARTED_AT = new Date("2026-01-02T03:04:05.678Z");
const ALL_KEYS = FIXTURE_ROWS.api_keys.map((row) => String(row.values.key));

type Upgraded = Extract<UpgradeReport, { status: "upgraded" }>;

// SQLite seals the keys on a worker thread when it gets the key's bytes (as the command does), else on its own thread.
const CASES = TEST_DIALECTS.flatMap((dialect) =>
  (dialect === "sqlite" ? ["worker", "same thread"] : ["same thread"]).map((sealing) => ({ dialect, sealing })),
);

describe.each(CASES)("upgrade-legacy on $dialect, keys sealed on the $sealing", ({ dialect, sealing }) => {
  let test: TestDatabase;
  let fixture: FixtureTables;
  let report: Upgraded;
  const key = randomBytes(32);
  const cipher = SecretCipher.fromBase64(key.toString("base64"));
  const sealingKey = sealing === "worker" ? { key, version: cipher.currentVersion } : undefined;

  beforeEach(async () => {
    test = await openTestDatabase(dialect, { migrate: false });
    fixture = await createLegacyDatabase(test.database);
    const upgrader = upgraderFor(test);
    try {
      const result = await upgradeLegacy(upgrader, { cipher, sealingKey, startedAt: STARTED_AT });
      if (result.status !== "upgraded") throw new Error(`expected an upgrade, got ${result.status}`);
      report = result;
    } finally {
      await upgrader.close();
    }
  });

  afterEach(async () => {
    await removeBackup(test.database, report?.backup);
    await test.cleanup();
  });

  it("keeps every value of every kept row, with ids as text and merged sessions pointing at the survivor", async () => {
    for (const table of LEGACY_TABLES) {
      const rows = await query<Record<string, unknown>>(test.database.kysely, `select * from ${table} order by id`);
      const kept = fixture[table].filter((row) => row.fate === "kept");
      expect(rows.map((row) => Number(row.id)), table).toEqual(kept.map((row) => row.values.id));
      rows.forEach((row, index) => expectSameValues(dialect, table, row, kept[index] as FixtureRow, STARTED_AT));
    }
  });

  it("declares user_id as VARCHAR(255) and ends in exactly the schema a fresh migrate creates", async () => {
    const tables = await test.database.kysely.introspection.getTables();
    const sessions = tables.find((t) => t.name === "onboarding_sessions" && (dialect === "sqlite" || t.schema === (test.schema ?? "public")));
    const userId = sessions?.columns.find((column) => column.name === "user_id");
    expect(userId?.dataType.toLowerCase()).toMatch(/^varchar(\(255\))?$/);
    if (dialect === "postgres") {
      const [length] = await query<{ n: number }>(
        test.database.kysely,
        `select character_maximum_length as n from information_schema.columns
         where table_schema = current_schema() and table_name = 'onboarding_sessions' and column_name = 'user_id'`,
      );
      expect(Number(length?.n)).toBe(255);
    }
    const fresh = await openTestDatabase(dialect);
    try {
      expect(await schemaSignature(test.database)).toEqual(await schemaSignature(fresh.database));
    } finally {
      await fresh.cleanup();
    }
    const ledger = await query<{ version: number; name: string }>(test.database.kysely, "select version, name from schema_migrations");
    expect(ledger.map((row) => [Number(row.version), row.name])).toEqual([
      [1, "initial-schema"],
      [2, "persona-tasks"],
      [3, "expensive-work"],
      [4, "preferred-model-key"],
    ]);
  });

  it("encrypts every kept key so that it decrypts to the original, and stores no plaintext key anywhere", async () => {
    const keys = await query<{ provider: string; key_ciphertext: string; key_version: number; key_last4: string; user_id: string }>(
      test.database.kysely,
      `select k.provider, k.key_ciphertext, k.key_version, k.key_last4, s.user_id
       from api_keys k join onboarding_sessions s on s.id = k.session_id order by k.id`,
    );
    const expected = fixture.api_keys.filter((row) => row.fate === "kept").map((row) => String(row.values.key));
    const opened = keys.map((key) =>
      cipher.open({ ciphertext: key.key_ciphertext, keyVersion: Number(key.key_version) }, apiKeyContext(key.user_id, key.provider)),
    );
    expect(opened).toEqual(expected);
    expect(keys.map((key) => key.key_last4)).toEqual(expected.map((key) => (key.length > 4 ? key.slice(-4) : "")));
    const everything = await dumpTables(test.database, [...OUR_TABLES, "schema_migrations"]);
    expect(ALL_KEYS.filter((key) => everything.includes(key))).toEqual([]);
    if (test.location?.dialect === "sqlite") {
      const path = test.location.path;
      expect(filesContainAny([path, `${path}-wal`], ALL_KEYS)).toEqual([]);
      expect(filesContainAny([report.backup.location], ALL_KEYS)).toHaveLength(ALL_KEYS.length);
    }
  });

  it("reports counts, conversions, merges, orphans, fills and the step-state rule", () => {
    const count = (table: LegacyTableName, fate?: FixtureRow["fate"]) =>
      fixture[table].filter((row) => fate === undefined || row.fate === fate).length;
    const result = report.result;
    expect(result.before).toEqual(Object.fromEntries(LEGACY_TABLES.map((table) => [table, count(table)])));
    expect(result.after).toMatchObject(Object.fromEntries(LEGACY_TABLES.map((table) => [table, count(table, "kept")])));
    expect(result.after).toMatchObject({ step_states: 15, platform_integrations: 0 });
    expect(result.orphans).toEqual(Object.fromEntries(CHILD_TABLES.map((table) => [table, count(table, "orphan")])));
    expect(result.superseded).toEqual(Object.fromEntries(CHILD_TABLES.map((table) => [table, count(table, "superseded")])));
    expect(result.userIds).toEqual(dialect === "sqlite" ? { convertedFromIntegers: 5, keptAsText: 2 } : { convertedFromIntegers: 7, keptAsText: 0 });
    expect(result.merges).toEqual([{ userId: "42", sessions: [1, 3, 6], survivor: 1 }]);
    expect(result.keysEncrypted).toBe(6);
    expect(nonZero(result.filled)).toEqual({
      "onboarding_sessions.current_step": 1,
      "onboarding_sessions.progress": 1,
      "onboarding_sessions.started_at": 1,
      "api_keys.created_at": 1,
      "api_keys.updated_at": 1,
      "website_analyses.status": 1,
      "research_preferences.content_types": 1,
      "research_preferences.auto_research": 1,
      "research_preferences.factual_content": 1,
      "persona_data.created_at": 1,
      "persona_data.updated_at": 1,
    });
    expect(nonZero(result.invalidJsonQuoted)).toEqual(dialect === "sqlite" ? { "website_analyses.style_patterns": 1 } : {});
    expect(nonZero(result.droppedValues)).toEqual({
      "research_preferences.writing_style": 1,
      "research_preferences.target_audience": 1,
    });
    expect(result.stepStatesCreated).toBe(15);
    expect(report.stepStateRule).toMatch(/below the legacy current_step are completed/);
    expect(report.migrations.applied.map((migration) => migration.version)).toEqual(MIGRATIONS.map((migration) => migration.version));
  });

  it("derives step_states from the legacy current_step and the data each step holds", async () => {
    const states = await query<{ session_id: number; step_number: number; status: string; completed_at: unknown }>(
      test.database.kysely,
      "select session_id, step_number, status, completed_at from step_states order by session_id, step_number",
    );
    const done = (sessionId: number, steps: number[]) => steps.map((step) => `${sessionId}/${step} completed`);
    const started = (sessionId: number, steps: number[]) => steps.map((step) => `${sessionId}/${step} in_progress`);
    expect(states.map((state) => `${state.session_id}/${state.step_number} ${state.status}`)).toEqual([
      ...done(1, [1, 2]),
      ...started(1, [3, 4]),
      ...done(2, [1]),
      ...started(2, [2]),
      ...done(4, [1, 2, 3, 4, 5]),
      ...started(5, [1]),
      ...done(7, [1, 2, 3]),
    ]);
    expect(states.filter((state) => state.status === "in_progress").every((state) => state.completed_at === null)).toBe(true);
    expect(states.filter((state) => state.status === "completed").every((state) => state.completed_at !== null)).toBe(true);
  });

  it("keeps the backup of the legacy data and says how to remove it", async () => {
    expect(report.backup.rowCounts).toEqual(report.result.before);
    if (report.backup.kind === "sqlite-file") {
      expect(statSync(report.backup.location).mode & 0o777).toBe(0o600);
      expect(report.backup.removeCommand).toBe(`rm -- '${report.backup.location}'`);
    } else {
      expect(report.backup.removeCommand).toBe(`DROP SCHEMA "${report.backup.location}" CASCADE;`);
      const [row] = await query<{ n: number }>(
        test.database.kysely,
        `select count(*) as n from "${report.backup.location}".api_keys where "key" = 'sk-oldest-9999'`,
      );
      expect(Number(row?.n)).toBe(1);
    }
  });

  it("says already up to date on a second run and changes nothing", async () => {
    const before = await dumpTables(test.database, [...OUR_TABLES, "schema_migrations"]);
    const upgrader = upgraderFor(test);
    try {
      const again = await upgradeLegacy(upgrader, { cipher });
      expect(again).toEqual({ status: "up-to-date", migrations: { applied: [], currentVersion: MIGRATIONS.at(-1)?.version } });
    } finally {
      await upgrader.close();
    }
    expect(await dumpTables(test.database, [...OUR_TABLES, "schema_migrations"])).toBe(before);
    expect(classifyShape(await upgraderFor(test).readTables()).kind).toBe("current");
  });

  it("lets the application create new sessions whose ids follow the legacy ones", async () => {
    const [session] = await test.database.writeTransaction((trx) => createSessions(trx as Kysely<Tables>, ["user_new"], new Date().toISOString()));
    expect(session?.id).toBe(8);
  });
});

function nonZero(counts: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).filter(([, count]) => count !== 0));
}
