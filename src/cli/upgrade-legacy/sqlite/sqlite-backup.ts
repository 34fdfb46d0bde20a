import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/**
 * Copies the database at `sourcePath` to `location` with SQLite's online backup API, on a worker
 * thread of its own connection, so that the upgrade's thread can run the prescan meanwhile.
 * Plain JavaScript run with `eval`, as the key sealing worker, so that it runs the same under tsx,
 * vitest and the compiled build.
 */
export function backupOnWorkerThread(sourcePath: string, location: string, pagesPerStep: number): Promise<void> {
  const worker = new Worker(PROGRAM, {
    eval: true,
    workerData: { sourcePath, location, pagesPerStep, sqliteModule: createRequire(import.meta.url).resolve("better-sqlite3") },
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
    worker.once("message", (message: { done?: true; error?: string }) =>
      settle(() => (message.done === true ? resolve() : reject(new Error(`the backup failed: ${message.error ?? "no answer"}`)))),
    );
    worker.once("error", (error) => settle(() => reject(new Error(`the backup worker failed: ${error.message}`, { cause: error }))));
    worker.once("exit", (code) => settle(() => reject(new Error(`the backup worker stopped before it finished (exit code ${code})`))));
  });
}

const PROGRAM = `
"use strict";
const { workerData, parentPort } = require("node:worker_threads");
const Database = require(workerData.sqliteModule);
let db;
(async () => {
  try {
    db = new Database(workerData.sourcePath, { readonly: true, fileMustExist: true });
    db.pragma("busy_timeout = 5000");
    // Pages pass through once: better-sqlite3's default of 16 MB of page cache would only add to the peak memory.
    db.pragma("cache_size = -1024");
    // Few large steps: each step commits (and syncs) the backup file, and the upgrade holds its snapshot anyway.
    await db.backup(workerData.location, { progress: () => workerData.pagesPerStep });
    parentPort.postMessage({ done: true });
  } catch (error) {
    parentPort.postMessage({ error: error instanceof Error ? error.message : String(error) });
  } finally {
    if (db !== undefined) db.close();
  }
})();
`;
