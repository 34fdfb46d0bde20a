import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import { basename, dirname, extname, join, resolve } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { SqliteDialect } from "kysely";
import { databaseFromDialect, type Database } from "../../db/database.js";
import type { LegacyBackup, LegacyUpgrader, RebuildContext, RebuildOutcome, UpgradeExecutor } from "./legacy-upgrader.js";
import type { TableColumns } from "./legacy-shape.js";
import { LEGACY_TABLES } from "./legacy-table-plan.js";
import { captureInitialSchemaDdl } from "./our-schema-ddl.js";
import { backupStamp, shellQuote } from "./backup-naming.js";
import { registerUpgradeFunctions } from "./sqlite-functions.js";
import { rebuildSqlite } from "./sqlite-rebuild.js";

export interface SqliteUpgraderOptions {
  /** Where the backup file goes; the database file's directory when absent. */
  readonly backupDir?: string;
}

/** Upgrades a legacy SQLite file in place, through one connection that it owns. */
export class SqliteLegacyUpgrader implements LegacyUpgrader {
  readonly dialect = "sqlite" as const;
  readonly database: Database;
  readonly #connection: SqliteDatabase.Database;
  readonly #path: string;
  readonly #backupDir: string;

  constructor(path: string, options: SqliteUpgraderOptions = {}) {
    if (!existsSync(path)) throw new Error(`no SQLite database file at ${path}`);
    this.#path = resolve(path);
    this.#backupDir = resolve(options.backupDir ?? dirname(this.#path));
    this.#connection = new SqliteDatabase(this.#path, { fileMustExist: true });
    this.#connection.pragma("busy_timeout = 5000");
    // SQLite's table-rebuild procedure wants foreign keys off; this pragma is a no-op inside a
    // transaction, so it is set now and back on in afterRebuild().
    this.#connection.pragma("foreign_keys = OFF");
    this.database = databaseFromDialect("sqlite", new SqliteDialect({ database: this.#connection }));
  }

  async readTables(): Promise<TableColumns> {
    const rows = this.#connection
      .prepare(
        `select m.name as table_name, p.name as column_name, p.type as data_type
         from sqlite_master m join pragma_table_info(m.name) p
         where m.type = 'table' and m.name not like 'sqlite\\_%' escape '\\'`,
      )
      .all() as { table_name: string; column_name: string; data_type: string }[];
    const tables = new Map<string, Map<string, string>>();
    for (const row of rows) {
      const columns = tables.get(row.table_name) ?? new Map<string, string>();
      columns.set(row.column_name, row.data_type);
      tables.set(row.table_name, columns);
    }
    return tables;
  }

  /** An online backup (SQLite's backup API) into a file that is 0600 from the moment it exists. */
  async backup(startedAt: Date): Promise<LegacyBackup> {
    mkdirSync(this.#backupDir, { recursive: true, mode: 0o700 });
    const name = basename(this.#path, extname(this.#path));
    const location = join(this.#backupDir, `${name}.legacy-backup-${backupStamp(startedAt)}.db`);
    closeSync(openSync(location, "wx", 0o600));
    await this.#connection.backup(location, { progress: () => 1_000 });
    chmodSync(location, 0o600);
    return { kind: "sqlite-file", location, removeCommand: `rm -- ${shellQuote(location)}`, rowCounts: countBackup(location) };
  }

  async rebuild(trx: UpgradeExecutor, context: RebuildContext): Promise<RebuildOutcome> {
    const functions = registerUpgradeFunctions(this.#connection, context.cipher);
    return rebuildSqlite(trx, context, await captureInitialSchemaDdl("sqlite"), functions);
  }

  async afterRebuild(): Promise<void> {
    this.#connection.pragma("foreign_keys = ON");
    // Move the rebuilt pages (the zeroed plaintext ones among them) from the WAL into the file.
    if (this.#connection.pragma("journal_mode", { simple: true }) === "wal") {
      this.#connection.pragma("wal_checkpoint(TRUNCATE)");
    }
  }

  async close(): Promise<void> {
    await this.database.close();
  }
}

function countBackup(location: string): Record<string, number> {
  const backup = new SqliteDatabase(location, { fileMustExist: true });
  try {
    return Object.fromEntries(
      LEGACY_TABLES.map((table) => [table, (backup.prepare(`select count(*) as n from "${table}"`).get() as { n: number }).n]),
    );
  } finally {
    backup.close();
  }
}
