import { existsSync, rmSync } from "node:fs";
import { basename, dirname, extname, join, resolve } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { SqliteDialect } from "kysely";
import { databaseFromDialect, type Database } from "../../../db/database.js";
import { tableColumnsOf, type ColumnRow, type TableColumns } from "../legacy/legacy-shape.js";
import type { LegacyBackup, LegacyUpgrader, RebuildContext, RebuildOutcome } from "../legacy-upgrader.js";
import { captureInitialSchemaDdl, type SchemaDdl } from "../shared/our-schema-ddl.js";
import type { UpgradeExecutor } from "../shared/raw-sql.js";
import { takeSqliteBackup, type BackupSnapshot } from "./sqlite-backup.js";
import { BACKUP_SCHEMA, WORKER_KEYS_SCHEMA, workerKeysSql } from "./sqlite-keys.js";
import { rebuildSqlite, renameCreatedTable } from "./sqlite-rebuild.js";
import { startSealingWorker, type WorkerKeysTable } from "./sqlite-sealing-worker.js";

export interface SqliteUpgraderOptions {
  /** Where the backup file goes; the database file's directory when absent. */
  readonly backupDir?: string;
}

/** Upgrades a legacy SQLite file in place, through one connection that it owns. */
export class SqliteLegacyUpgrader implements LegacyUpgrader {
  readonly database: Database;
  readonly #connection: SqliteDatabase.Database;
  readonly #path: string;
  readonly #backupDir: string;
  /**
   * Where the sealing worker builds our api_keys table. The name is the same for every run on one
   * database, so the file that a killed run could not delete (ciphertexts only) goes at the next.
   */
  readonly #sealedKeysPath: string;
  #snapshot: BackupSnapshot | undefined;

  constructor(path: string, options: SqliteUpgraderOptions = {}) {
    if (!existsSync(path)) throw new Error(`no SQLite database file at ${path}`);
    this.#path = resolve(path);
    this.#backupDir = resolve(options.backupDir ?? dirname(this.#path));
    // Beside the backup: on the disk the operator chose for it, and as private.
    this.#sealedKeysPath = join(this.#backupDir, `${basename(this.#path, extname(this.#path))}.upgrade-sealed-keys`);
    this.#connection = new SqliteDatabase(this.#path, { fileMustExist: true });
    this.#connection.pragma("busy_timeout = 5000");
    // better-sqlite3 gives each connection 16 MB of page cache. The rebuild streams through the
    // tables in rowid order and ran no faster with it (a million sessions), while the upgrade's
    // peak memory has a budget that the key sealing worker also needs.
    this.#connection.pragma("cache_size = -4096");
    // SQLite's table-rebuild procedure wants foreign keys off; this pragma is a no-op inside a
    // transaction, so it is set now and back on in afterCommit().
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
      .all() as ColumnRow[];
    return tableColumnsOf(rows);
  }

  /** A file copy on a worker thread while this thread runs the prescan, in one snapshot (sqlite-backup.ts). */
  async backup(startedAt: Date): Promise<LegacyBackup> {
    const { backup, snapshot } = await takeSqliteBackup(this.#connection, this.#path, this.#backupDir, startedAt);
    this.#snapshot = snapshot;
    return backup;
  }

  /** New tables filled inside SQLite and renamed over the old ones (sqlite-rebuild.ts), keys sealed by a worker when it can. */
  async rebuild(trx: UpgradeExecutor, context: RebuildContext): Promise<RebuildOutcome> {
    const prescan = this.#snapshotStillLive().prescan;
    const ddl = await captureInitialSchemaDdl("sqlite");
    const keys = this.#startSealingWorker(context, ddl);
    try {
      return await rebuildSqlite(trx, context, ddl, { connection: this.#connection, keys, prescan });
    } finally {
      await keys?.close();
    }
  }

  async afterCommit(): Promise<void> {
    this.#detachAndRemoveScratch();
    this.#connection.pragma("foreign_keys = ON");
    // Move the rebuilt pages (the zeroed plaintext ones among them) from the WAL into the file.
    if (this.#connection.pragma("journal_mode", { simple: true }) === "wal") {
      this.#connection.pragma("wal_checkpoint(TRUNCATE)");
    }
  }

  async close(): Promise<void> {
    this.#detachAndRemoveScratch();
    await this.database.close();
  }

  /** The backup's snapshot, once data_version proves that no other connection committed since. */
  #snapshotStillLive(): BackupSnapshot {
    const snapshot = this.#snapshot;
    if (snapshot === undefined) throw new Error("rebuild() runs after backup(), whose snapshot it reads");
    if (Number(this.#connection.pragma("data_version", { simple: true })) !== snapshot.dataVersion) {
      throw new Error(
        "something wrote to the database after the backup was taken, so the backup would miss it; " +
          "stop the service and run upgrade-legacy again",
      );
    }
    return snapshot;
  }

  /** Undefined without the cipher's raw key: the rebuild then seals on this thread. */
  #startSealingWorker(context: RebuildContext, ddl: SchemaDdl): WorkerKeysTable | undefined {
    if (context.sealingKey === undefined) return undefined;
    const createTable = ddl.get("api_keys");
    if (createTable === undefined) throw new Error("migration 1 creates no api_keys table");
    return startSealingWorker({
      backupPath: context.backup.location,
      path: this.#sealedKeysPath,
      sealingKey: context.sealingKey,
      createTableSql: renameCreatedTable(createTable, "api_keys"),
      insertSql: workerKeysSql(context.now, context.sealingKey.version),
    });
  }

  /** Detaches what the rebuild attached (after the transaction: SQLite refuses within one), and deletes the worker's file. */
  #detachAndRemoveScratch(): void {
    const connection = this.#connection;
    for (const schema of [WORKER_KEYS_SCHEMA, BACKUP_SCHEMA]) {
      const attached = connection.open && connection.prepare("select 1 from pragma_database_list where name = ?").get(schema) !== undefined;
      if (attached && !connection.inTransaction) connection.exec(`detach database ${schema}`);
    }
    rmSync(this.#sealedKeysPath, { force: true });
  }
}
