import { chmodSync, closeSync, mkdirSync, openSync } from "node:fs";
import { basename, extname, join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { startWorkerModule } from "../../shared/start-worker-module.js";
import { LEGACY_TABLES } from "../legacy/legacy-table-plan.js";
import type { LegacyBackup } from "../legacy-upgrader.js";
import { backupStamp, shellQuote } from "../shared/backup-naming.js";
import { prescanLegacyTables, type LegacyPrescan } from "./sqlite-prescan.js";

/** What the rebuild takes from the backup's snapshot: its data_version, and what the prescan found in it. */
export interface BackupSnapshot {
  readonly dataVersion: number;
  readonly prescan: LegacyPrescan;
}

/** 400 MB per step at the usual 4 KiB page size. */
const BACKUP_PAGES_PER_STEP = 100_000;

/**
 * An online backup (SQLite's backup API, on a worker thread) of the database at `path` into a file
 * of `backupDir` that is 0600 from the moment it exists, while this thread runs the prescan on
 * `connection`. Its read transaction spans both and remembers its data_version: the rebuild
 * compares it to prove nothing wrote in between, so the backup, the prescan's counts and checks,
 * and the rebuild all see the same rows.
 */
export async function takeSqliteBackup(
  connection: SqliteDatabase.Database,
  path: string,
  backupDir: string,
  startedAt: Date,
): Promise<{ backup: LegacyBackup; snapshot: BackupSnapshot }> {
  mkdirSync(backupDir, { recursive: true, mode: 0o700 });
  const location = join(backupDir, `${basename(path, extname(path))}.legacy-backup-${backupStamp(startedAt)}.db`);
  closeSync(openSync(location, "wx", 0o600));
  connection.exec("begin");
  let pages: number;
  let snapshot: BackupSnapshot;
  try {
    // The first read starts the snapshot; with a rollback journal its shared lock also keeps
    // every writer out until the commit below, so the worker copies the same rows.
    pages = Number(connection.pragma("page_count", { simple: true }));
    const dataVersion = Number(connection.pragma("data_version", { simple: true }));
    const copy = backupOnWorkerThread(path, location, BACKUP_PAGES_PER_STEP);
    try {
      snapshot = { dataVersion, prescan: prescanLegacyTables(connection) };
    } catch (error) {
      // The worker finishes with the file before the error goes up; its own outcome no longer matters.
      await copy.catch(() => undefined);
      throw error;
    }
    await copy;
  } finally {
    connection.exec("commit");
  }
  chmodSync(location, 0o600);
  assertBackupComplete(location, pages);
  const backup = { kind: "sqlite-file" as const, location, removeCommand: `rm -- ${shellQuote(location)}`, rowCounts: snapshot.prescan.rowCounts };
  return { backup, snapshot };
}

/** What the backup thread (sqlite-backup-thread.ts) is given, and what it posts when done. */
export interface BackupThreadData {
  readonly sourcePath: string;
  readonly location: string;
  readonly pagesPerStep: number;
}
export type BackupThreadMessage = { readonly done: true; readonly error?: never } | { readonly done?: never; readonly error: string };

/** Copies the database at `sourcePath` to `location`, `pagesPerStep` pages at a time, on a worker thread of its own connection. */
export function backupOnWorkerThread(sourcePath: string, location: string, pagesPerStep: number): Promise<void> {
  const workerData: BackupThreadData = { sourcePath, location, pagesPerStep };
  const worker = startWorkerModule(new URL("./sqlite-backup-thread.js", import.meta.url), {
    workerData,
    // It holds no rows, only SQLite's pages, which live outside the JavaScript heap.
    resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 12 },
  });
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    // The thread goes as soon as it answers: the key sealing worker, which starts next, shares the memory budget.
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      void worker.terminate().then(outcome, outcome);
    };
    worker.once("message", (message: BackupThreadMessage) =>
      settle(() => (message.done === true ? resolve() : reject(new Error(`the backup failed: ${message.error}`)))),
    );
    worker.once("error", (error) => settle(() => reject(new Error(`the backup worker failed: ${error.message}`, { cause: error }))));
    worker.once("exit", (code) => settle(() => reject(new Error(`the backup worker stopped before it finished (exit code ${code})`))));
  });
}

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
