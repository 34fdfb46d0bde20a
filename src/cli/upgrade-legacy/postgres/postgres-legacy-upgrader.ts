import { sql } from "kysely";
import type { Database } from "../../../db/database.js";
import { backupStamp } from "../shared/backup-naming.js";
import type { LegacyBackup, LegacyUpgrader, RebuildContext, RebuildOutcome, UpgradeExecutor } from "../legacy-upgrader.js";
import type { TableColumns } from "../legacy/legacy-shape.js";
import { LEGACY_TABLES } from "../legacy/legacy-table-plan.js";
import { captureInitialSchemaDdl } from "../shared/our-schema-ddl.js";
import { rebuildPostgres } from "./postgres-rebuild.js";
import { countOf, execute, query, quoted } from "../shared/raw-sql.js";

/** PostgreSQL's limit on identifier length. */
const MAX_IDENTIFIER = 63;

/** Upgrades the legacy tables of the current schema (the first on the search path). */
export class PostgresLegacyUpgrader implements LegacyUpgrader {
  readonly dialect = "postgres" as const;
  readonly database: Database;
  readonly #closeDatabase: boolean;

  constructor(database: Database, options: { closeDatabase: boolean }) {
    if (database.dialect !== "postgres") throw new Error(`PostgresLegacyUpgrader got a ${database.dialect} database`);
    this.database = database;
    this.#closeDatabase = options.closeDatabase;
  }

  async readTables(): Promise<TableColumns> {
    const rows = await query<{ table_name: string; column_name: string; data_type: string }>(
      this.database.kysely,
      `select table_name, column_name, udt_name as data_type from information_schema.columns
       where table_schema = current_schema() order by table_name, ordinal_position`,
    );
    const tables = new Map<string, Map<string, string>>();
    for (const row of rows) {
      const columns = tables.get(row.table_name) ?? new Map<string, string>();
      columns.set(row.column_name, row.data_type);
      tables.set(row.table_name, columns);
    }
    return tables;
  }

  /**
   * Copies of every legacy table (CREATE TABLE … AS SELECT) in a new schema, from one snapshot,
   * committed before the upgrade starts. Only the owner can read it; it holds the plaintext keys.
   */
  async backup(startedAt: Date): Promise<LegacyBackup> {
    return this.database.kysely
      .transaction()
      .setIsolationLevel("repeatable read")
      .execute(async (trx) => {
        const current = await currentSchema(trx);
        const schema = backupSchemaName(startedAt, current);
        await execute(trx, `create schema ${quoted(schema)}`);
        for (const table of LEGACY_TABLES) {
          await execute(trx, `create table ${quoted(schema)}.${quoted(table)} as select * from ${quoted(current)}.${quoted(table)}`);
        }
        const rowCounts: Record<string, number> = {};
        for (const table of LEGACY_TABLES) {
          rowCounts[table] = await countOf(trx, `select count(*) as n from ${quoted(schema)}.${quoted(table)}`);
        }
        return {
          kind: "postgres-schema" as const,
          location: schema,
          removeCommand: `DROP SCHEMA ${quoted(schema)} CASCADE;`,
          rowCounts,
        };
      });
  }

  async rebuild(trx: UpgradeExecutor, context: RebuildContext): Promise<RebuildOutcome> {
    return rebuildPostgres(trx, context, await captureInitialSchemaDdl("postgres"));
  }

  async afterRebuild(): Promise<void> {}

  async close(): Promise<void> {
    if (this.#closeDatabase) await this.database.close();
  }
}

async function currentSchema(db: UpgradeExecutor): Promise<string> {
  const result = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const schema = result.rows[0]?.schema;
  if (schema === undefined || schema === null) throw new Error("the search path names no existing schema");
  return schema;
}

/** `legacy_backup_<stamp>`, plus the upgraded schema's name when it is not public. */
export function backupSchemaName(at: Date, upgradedSchema: string): string {
  const base = `legacy_backup_${backupStamp(at).toLowerCase()}`;
  return (upgradedSchema === "public" ? base : `${base}_${upgradedSchema}`).slice(0, MAX_IDENTIFIER);
}
