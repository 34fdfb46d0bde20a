import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from "../test-support/test-database.js";
import { migrateToLatest, migrationState } from "./migrator.js";
import { MIGRATIONS } from "./migrations/migration-list.js";

/** PostgreSQL introspection lists every schema's tables; other test files run beside this one. */
async function ownTables(test: TestDatabase) {
  const tables = await test.database.kysely.introspection.getTables();
  return tables.filter((table) => test.schema === undefined || table.schema === test.schema);
}

describe.each(TEST_DIALECTS)("migrateToLatest on %s", (dialect) => {
  let test: TestDatabase;
  afterEach(() => test.cleanup());

  it("tells what is pending without writing: every migration on a new database, none after migrate", async () => {
    test = await openTestDatabase(dialect, { migrate: false });
    const before = await migrationState(test.database);
    expect(before).toEqual({ currentVersion: 0, pending: MIGRATIONS.map(({ version, name }) => ({ version, name })) });
    expect((await ownTables(test)).map((t) => t.name)).not.toContain("schema_migrations");
    await migrateToLatest(test.database, MIGRATIONS.slice(0, -1));
    expect(await migrationState(test.database)).toEqual({
      currentVersion: MIGRATIONS.at(-2)?.version,
      pending: [{ version: MIGRATIONS.at(-1)?.version, name: MIGRATIONS.at(-1)?.name }],
    });
    await migrateToLatest(test.database);
    expect(await migrationState(test.database)).toEqual({ currentVersion: MIGRATIONS.at(-1)?.version, pending: [] });
  });

  it("creates every table once and reports nothing pending on a second run", async () => {
    test = await openTestDatabase(dialect, { migrate: false });
    const first = await migrateToLatest(test.database);
    const second = await migrateToLatest(test.database);
    expect(first.applied.map((m) => m.version)).toEqual(MIGRATIONS.map((m) => m.version));
    expect(second.applied).toEqual([]);
    expect(second.currentVersion).toBe(MIGRATIONS.at(-1)?.version);
    const tables = await ownTables(test);
    expect(tables.map((t) => t.name).sort()).toEqual(
      [
        "api_keys",
        "expensive_work_limits",
        "expensive_work_runs",
        "onboarding_sessions",
        "persona_data",
        "persona_tasks",
        "platform_integrations",
        "research_preferences",
        "schema_migrations",
        "step_states",
        "website_analyses",
      ].sort(),
    );
  });

  it("lets concurrent migrations apply each version exactly once", async () => {
    test = await openTestDatabase(dialect, { migrate: false });
    const reports = await Promise.all(Array.from({ length: 5 }, () => migrateToLatest(test.database)));
    const applied = reports.flatMap((r) => r.applied.map((m) => m.version));
    expect(applied).toEqual(MIGRATIONS.map((m) => m.version));
    const rows = await sql<{ n: number }>`select count(*) as n from schema_migrations`.execute(test.database.kysely);
    expect(Number(rows.rows[0]?.n)).toBe(MIGRATIONS.length);
  });

  it("declares user_id as a unique VARCHAR(255)", async () => {
    test = await openTestDatabase(dialect);
    const sessions = (await ownTables(test)).find((t) => t.name === "onboarding_sessions");
    const userId = sessions?.columns.find((c) => c.name === "user_id");
    expect(userId?.dataType.toLowerCase()).toMatch(/^(varchar\(255\)|varchar)$/);
    expect(userId?.isNullable).toBe(false);
    const now = new Date().toISOString();
    const insert = () =>
      test.database.kysely
        .insertInto("onboarding_sessions")
        .values({ user_id: "user_dup", current_step: 1, progress: 0, started_at: now, updated_at: now, completed_at: null })
        .execute();
    await insert();
    await expect(insert()).rejects.toThrow(/unique|duplicate/i);
  });
});
