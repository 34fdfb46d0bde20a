import { parentPort, workerData } from "node:worker_threads";
import SqliteDatabase from "better-sqlite3";
import type { BackupThreadData, BackupThreadMessage } from "./sqlite-backup.js";

/**
 * The backup thread, which sqlite-backup.ts starts: SQLite's online backup API on a connection of
 * its own, so that the upgrade's thread runs the prescan meanwhile. Posts { done: true } or { error }.
 */
post(await copy(workerData as BackupThreadData));

async function copy({ sourcePath, location, pagesPerStep }: BackupThreadData): Promise<BackupThreadMessage> {
  let db: SqliteDatabase.Database | undefined;
  try {
    db = new SqliteDatabase(sourcePath, { readonly: true, fileMustExist: true });
    db.pragma("busy_timeout = 5000");
    // Pages pass through once: better-sqlite3's default of 16 MB of page cache would only add to the peak memory.
    db.pragma("cache_size = -1024");
    // Few large steps: each step commits (and syncs) the backup file, and the upgrade holds its snapshot anyway.
    await db.backup(location, { progress: () => pagesPerStep });
    return { done: true };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  } finally {
    db?.close();
  }
}

function post(message: BackupThreadMessage): void {
  parentPort?.postMessage(message);
}
