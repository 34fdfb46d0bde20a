import type { Database } from "../../../db/database.js";
import { tableColumnsOf, type ColumnRow, type TableColumns } from "../legacy/legacy-shape.js";
import type { LegacyBackup, LegacyUpgrader, RebuildContext, RebuildOutcome } from "../legacy-upgrader.js";
import { captureInitialSchemaDdl } from "../shared/our-schema-ddl.js";
import { query, type UpgradeExecutor } from "../shared/raw-sql.js";
import { takePostgresBackup } from "./postgres-backup.js";
import { rebuildPostgres } from "./postgres-rebuild.js";

/** Upgrades the legacy tables of the current schema (the first on the search path). */
export class PostgresLegacyUpgrader implements LegacyUpgrader {
  readonly database: Database;
  readonly #closeDatabase: boolean;

  constructor(database: Database, options: { closeDatabase: boolean }) {
    if (database.dialect !== "postgres") throw new Error(`PostgresLegacyUpgrader got a ${database.dialect} database`);
    this.database = database;
    this.#closeDatabase = options.closeDatabase;
  }

  async readTables(): Promise<TableColumns> {
    const rows = await query<ColumnRow>(
      this.database.kysely,
      `select table_name, column_name, udt_name as data_type from information_schema.columns
       where table_schema = current_schema() order by table_name, ordinal_position`,
    );
    return tableColumnsOf(rows);
  }

  /** A schema of its own holding a copy of every legacy table (postgres-backup.ts). */
  async backup(startedAt: Date): Promise<LegacyBackup> {
    return takePostgresBackup(this.database, startedAt);
  }

  /** The tables altered in place (postgres-rebuild.ts): PostgreSQL's DDL is transactional. */
  async rebuild(trx: UpgradeExecutor, context: RebuildContext): Promise<RebuildOutcome> {
    return rebuildPostgres(trx, context, await captureInitialSchemaDdl("postgres"));
  }

  async afterCommit(): Promise<void> {}

  async close(): Promise<void> {
    if (this.#closeDatabase) await this.database.close();
  }
}
