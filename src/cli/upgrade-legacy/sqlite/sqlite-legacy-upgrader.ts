import { chmodSync, closeSync, existsSync, mkdirSync, openSync, rmSync } from "node:fs";
import { basename, dirname, extname, join, resolve } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { SqliteDialect } from "kysely";
import { databaseFromDialect, type Database } from "../../../db/database.js";
import type { LegacyBackup, LegacyUpgrader, RebuildContext, RebuildOutcome, UpgradeExecutor } from "../legacy-upgrader.js";
import type { TableColumns } from "../legacy/legacy-shape.js";
import { LEGACY_TABLES } from "../legacy/legacy-table-plan.js";
import { captureInitialSchemaDdl } from "../shared/our-schema-ddl.js";
import { backupStamp, shellQuote } from "../shared/backup-naming.js";
import { registerUpgradeFunctions } from "./sqlite-functions.js";
import { rebuildSqlite, renameCreatedTable } from "./sqlite-rebuild.js";
import { BACKUP_SCHEMA, WORKER_KEYS_SCHEMA, workerKeysSql } from "./sqlite-keys.js";
import { prescanLegacyTables, type LegacyPrescan } from "./sqlite-prescan.js";
import { startSealingWorker, type WorkerKeysTable } from "./sqlite-sealing-worker.js";
import { backupOnWorkerThread } from "./sqlite-backup.js";

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
  /**
   * Where the sealing worker builds our api_keys table. The name is the same for every run on one
   * database, so the file that a killed run could not delete (ciphertexts only) goes at the next.
   */
  readonly #sealedKeysPath: string;
  #dataVersion: number | undefined;
  #prescan: LegacyPrescan | undefined;

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

  /**
   * An online backup (SQLite's backup API, on a worker thread) into a file that is 0600 from the
   * moment it exists, while this thread runs the prescan. This connection's read transaction spans
   * both and remembers its data_version: the rebuild compares it to prove nothing wrote in between,
   * so the backup, the prescan's counts and checks, and the rebuild all see the same rows.
   */
  async backup(startedAt: Date): Promise<LegacyBackup> {
    mkdirSync(this.#backupDir, { recursive: true, mode: 0o700 });
    const name = basename(this.#path, extname(this.#path));
    const location = join(this.#backupDir, `${name}.legacy-backup-${backupStamp(startedAt)}.db`);
    closeSync(openSync(location, "wx", 0o600));
    const connection = this.#connection;
    connection.exec("begin");
    let pages: number;
    let prescan: LegacyPrescan;
    try {
      // The first read starts the snapshot; with a rollback journal its shared lock also keeps
      // every writer out until the commit below, so the worker copies the same rows.
      pages = Number(connection.pragma("page_count", { simple: true }));
      this.#dataVersion = Number(connection.pragma("data_version", { simple: true }));
      const copy = backupOnWorkerThread(this.#path, location, BACKUP_PAGES_PER_STEP);
      try {
        prescan = prescanLegacyTables(connection);
      } catch (error) {
        // The worker finishes with the file before the error goes up; its own outcome no longer matters.
        await copy.catch(() => undefined);
        throw error;
      }
      await copy;
    } finally {
      connection.exec("commit");
    }
    this.#prescan = prescan;
    chmodSync(location, 0o600);
    assertBackupComplete(location, pages);
    return { kind: "sqlite-file", location, removeCommand: `rm -- ${shellQuote(location)}`, rowCounts: prescan.rowCounts };
  }

  async rebuild(trx: UpgradeExecutor, context: RebuildContext): Promise<RebuildOutcome> {
    // data_version changes when another connection commits: any write since the backup's snapshot.
    if (Number(this.#connection.pragma("data_version", { simple: true })) !== this.#dataVersion) {
      throw new Error(
        "something wrote to the database after the backup was taken, so the backup would miss it; " +
          "stop the service and run upgrade-legacy again",
      );
    }
    const prescan = this.#prescan;
    if (prescan === undefined) throw new Error("rebuild() runs after backup(), whose prescan it reads");
    const functions = registerUpgradeFunctions(this.#connection, context.cipher);
    const ddl = await captureInitialSchemaDdl("sqlite");
    const keys = this.#startSealingWorker(context, ddl.get("api_keys"));
    try {
      return await rebuildSqlite(trx, context, ddl, { connection: this.#connection, functions, keys, prescan });
    } finally {
      await keys?.close();
    }
  }

  /** Undefined without the cipher's raw key: the rebuild then seals on this thread. */
  #startSealingWorker(context: RebuildContext, createTable: string | undefined): WorkerKeysTable | undefined {
    if (context.sealingKey === undefined) return undefined;
    if (createTable === undefined) throw new Error("migration 1 creates no api_keys table");
    return startSealingWorker({
      backupPath: context.backup.location,
      path: this.#sealedKeysPath,
      sealingKey: context.sealingKey,
      createTableSql: renameCreatedTable(createTable, "api_keys"),
      ...workerKeysSql(context.now, context.sealingKey.version),
    });
  }

  async afterRebuild(): Promise<void> {
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

/** 400 MB per step at the usual 4 KiB page size. */
const BACKUP_PAGES_PER_STEP = 100_000;

/** The backup opens as a database of as many pages as the snapshot, with every legacy table. */
function assertBackupComplete(location: string, pages: number): void {
  const backup = new SqliteDatabase(location, { fileMustExist: true });
  try {
    const copied = Number(backup.pragma("page_count", { simple: true }));
    const tables = backup.prepare("select name from sqlite_master where type = 'table'").pluck().all() as string[];
    const missing = LEGACY_TABLES.filter((table) => !tables.includes(table));
    if (copied !== pages || missing.length > 0) {
      throw new Error(`the backup ${location} is incomplete (${copied} of ${pages} pages, missing tables: ${missing.join(", ") || "none"})`);
    }
  } finally {
    backup.close();
  }
}
