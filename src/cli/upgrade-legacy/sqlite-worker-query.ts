import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/** A row as better-sqlite3's raw mode returns it: the values in column order. */
export type RawRow = readonly unknown[];

/**
 * Runs read-only queries on a second thread, all in one read transaction (one snapshot), and
 * resolves with the first row of each. The main thread stays free meanwhile: the upgrade runs the
 * SQLite backup there. Plain JavaScript run with `eval`, as the key sealing worker, so that it
 * runs the same under tsx, vitest and the compiled build.
 */
export function queryOnWorkerThread(path: string, queries: readonly string[]): Promise<RawRow[]> {
  const worker = new Worker(PROGRAM, {
    eval: true,
    workerData: { path, queries, sqliteModule: createRequire(import.meta.url).resolve("better-sqlite3") },
    // It holds one row per query; small limits keep its share of the upgrade's memory budget small.
    resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 12 },
  });
  return new Promise<RawRow[]>((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      outcome();
    };
    worker.once("message", (message: { rows?: RawRow[]; error?: string }) =>
      settle(() => (message.rows === undefined ? reject(new Error(`a read on the worker thread failed: ${message.error ?? "no rows"}`)) : resolve(message.rows))),
    );
    worker.once("error", (error) => settle(() => reject(new Error(`the read worker failed: ${error.message}`, { cause: error }))));
    worker.once("exit", (code) => settle(() => reject(new Error(`the read worker stopped before answering (exit code ${code})`))));
  });
}

const PROGRAM = `
"use strict";
const { workerData, parentPort } = require("node:worker_threads");
const Database = require(workerData.sqliteModule);
let db;
try {
  db = new Database(workerData.path, { readonly: true, fileMustExist: true });
  db.pragma("busy_timeout = 5000");
  // Each table is read once, front to back: a large page cache would only hold pages never read again.
  db.pragma("cache_size = -1024");
  db.exec("begin");
  const rows = workerData.queries.map((sql) => db.prepare(sql).raw().get() ?? []);
  db.exec("commit");
  parentPort.postMessage({ rows });
} catch (error) {
  parentPort.postMessage({ error: error instanceof Error ? error.message : String(error) });
} finally {
  if (db !== undefined) db.close();
}
`;
