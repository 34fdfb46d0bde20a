import { existsSync, readFileSync } from "node:fs";
import { sql } from "kysely";
import type { LegacyBackup, LegacyUpgrader } from "../../cli/upgrade-legacy/legacy-upgrader.js";
import { PostgresLegacyUpgrader } from "../../cli/upgrade-legacy/postgres/postgres-legacy-upgrader.js";
import { quoted } from "../../cli/upgrade-legacy/shared/quoted.js";
import { query } from "../../cli/upgrade-legacy/shared/raw-sql.js";
import { SqliteLegacyUpgrader } from "../../cli/upgrade-legacy/sqlite/sqlite-legacy-upgrader.js";
import type { Database } from "../../db/database.js";
import type { TestDatabase } from "../test-database.js";

/** Test helpers shared by the upgrade's test files. */

export function upgraderFor(test: TestDatabase): LegacyUpgrader {
  if (test.database.dialect === "postgres") return new PostgresLegacyUpgrader(test.database, { closeDatabase: false });
  if (test.location?.dialect !== "sqlite") throw new Error("a SQLite test database has a file location");
  return new SqliteLegacyUpgrader(test.location.path, { backupDir: test.tempDir });
}

/** Every row of the tables, ordered, as JSON text: equal dumps mean equal contents. */
export async function dumpTables(database: Database, tables: readonly string[]): Promise<string> {
  const dump: Record<string, unknown[]> = {};
  for (const table of tables) {
    const order = { step_states: "session_id, step_number", schema_migrations: "version" }[table] ?? "id";
    dump[table] = await query(database.kysely, `select * from ${quoted(table)} order by ${order}`);
  }
  return JSON.stringify(dump);
}

/** What a schema declares, without names that differ only by where it lives. */
export async function schemaSignature(database: Database): Promise<string[]> {
  if (database.dialect === "sqlite") {
    const rows = await query<{ type: string; name: string; sql: string | null }>(
      database.kysely,
      `select type, name, sql from sqlite_master where name not in ('sqlite_sequence', 'sqlite_stat1') order by type, name`,
    );
    return rows.map((row) => `${row.type} ${row.name}: ${(row.sql ?? "").toLowerCase().replaceAll('"', "").replace(/\s+/g, " ")}`);
  }
  const columns = await query<{ line: string }>(
    database.kysely,
    `select concat_ws(' | ', table_name, column_name, data_type, character_maximum_length, is_nullable, column_default) as line
     from information_schema.columns where table_schema = current_schema()`,
  );
  const constraints = await query<{ line: string }>(
    database.kysely,
    `select concat_ws(' | ', c.relname, con.conname, pg_get_constraintdef(con.oid)) as line
     from pg_constraint con join pg_class c on c.oid = con.conrelid
     where c.relnamespace = (select oid from pg_namespace where nspname = current_schema())`,
  );
  const indexes = await query<{ line: string }>(
    database.kysely,
    `select concat_ws(' | ', tablename, indexname, replace(indexdef, current_schema() || '.', '')) as line
     from pg_indexes where schemaname = current_schema()`,
  );
  return [...columns, ...constraints, ...indexes].map((row) => row.line).sort();
}

export async function removeBackup(database: Database, backup: LegacyBackup | undefined): Promise<void> {
  if (backup?.kind === "postgres-schema") await query(database.kysely, `drop schema if exists ${quoted(backup.location)} cascade`);
}

/** Whether any of the texts occurs in the bytes of the files that exist. */
export function filesContainAny(paths: readonly string[], texts: readonly string[]): string[] {
  const found: string[] = [];
  for (const path of paths.filter((candidate) => existsSync(candidate))) {
    const bytes = readFileSync(path);
    for (const text of texts) if (bytes.includes(Buffer.from(text, "utf8"))) found.push(`${text} in ${path}`);
  }
  return found;
}

/** A legacy row the upgrade must reject (SQLite: a user id with a control character; PostgreSQL: JSON that jsonb refuses). Returns how to fix it. */
export async function insertBadRow(test: TestDatabase): Promise<() => Promise<void>> {
  const db = test.database.kysely;
  if (test.database.dialect === "sqlite") {
    await sql`insert into onboarding_sessions (id, user_id) values (8, ${"bad\u0007id"})`.execute(db);
    return async () => void (await sql`delete from onboarding_sessions where id = 8`.execute(db));
  }
  // json accepts the \u0000 escape, jsonb refuses it: the ALTER … TYPE jsonb fails mid-transaction.
  await sql`update persona_data set core_persona = ${'{"a":"\\u0000"}'} where id = 1`.execute(db);
  return async () => void (await sql`update persona_data set core_persona = '{}' where id = 1`.execute(db));
}
