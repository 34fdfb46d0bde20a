import { sql } from "kysely";
import { LEGACY_TABLES, type LegacyTableName } from "../../cli/upgrade-legacy/legacy/legacy-table-plan.js";
import type { Database, SqlDialect } from "../../db/database.js";
import { FIXTURE_ROWS, type FixtureRow, type LegacyValue } from "./legacy-fixture-rows.js";
import { legacySchemaStatements } from "./legacy-schema-sql.js";

/** Test helper: builds a database of the old platform (schema of alwrity-schema.sql plus rows). */

export type FixtureTables = Readonly<Record<LegacyTableName, readonly FixtureRow[]>>;

/** The fixture as the given dialect's legacy shape can hold it. */
export function fixtureFor(dialect: SqlDialect): FixtureTables {
  const tables = {} as Record<LegacyTableName, FixtureRow[]>;
  for (const table of LEGACY_TABLES) {
    tables[table] = FIXTURE_ROWS[table].flatMap((row) => {
      if (dialect === "sqlite" || row.postgres === undefined) return [row];
      if (row.postgres === "absent") return [];
      return [{ ...row, values: { ...row.values, ...row.postgres } }];
    });
  }
  return tables;
}

export async function createLegacySchema(database: Database): Promise<void> {
  for (const statement of legacySchemaStatements(database.dialect)) await sql.raw(statement).execute(database.kysely);
}

/** Creates the legacy schema and inserts the fixture; returns what was inserted. */
export async function createLegacyDatabase(database: Database): Promise<FixtureTables> {
  const fixture = fixtureFor(database.dialect);
  await createLegacySchema(database);
  // The old platform ran SQLite with foreign keys off (SQLite's default), which let orphans in.
  if (database.dialect === "sqlite") await sql`pragma foreign_keys = off`.execute(database.kysely);
  for (const table of LEGACY_TABLES) {
    await insertLegacyRows(database, table, fixture[table].map((row) => row.values));
  }
  if (database.dialect === "sqlite") await sql`pragma foreign_keys = on`.execute(database.kysely);
  return fixture;
}

/** Inserts rows with their ids; on PostgreSQL the id sequences then move past them, as the old platform's would be. */
export async function insertLegacyRows(
  database: Database,
  table: LegacyTableName,
  rows: readonly Readonly<Record<string, LegacyValue>>[],
): Promise<void> {
  for (const row of rows) {
    const columns = Object.keys(row);
    await sql`insert into ${sql.table(table)} (${sql.join(columns.map((column) => sql.ref(column)))})
              values (${sql.join(columns.map((column) => row[column]))})`.execute(database.kysely);
  }
  if (database.dialect === "postgres" && rows.length > 0) {
    await sql`select setval(pg_get_serial_sequence(${table}, 'id'), (select max(id) from ${sql.table(table)}))`.execute(
      database.kysely,
    );
  }
}
