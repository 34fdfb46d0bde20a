import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

/** A row as better-sqlite3's raw mode returns it: the values in column order. */
export type RawRow = readonly unknown[];

/**
 * Integer ids collected into a bit set. `rangeSql` gives the lowest and highest id possible; when
 * they lie within 0..maxId, `pageSql`, bound to (after, highest), is run until it gives NULL: each
 * run gives [the last row key it read, the ids of those rows joined by commas], the rows past
 * `after`. Commas and digits only: text that JS takes apart much faster than a row at a time.
 */
export interface IdBitsRequest {
  readonly rangeSql: string;
  readonly pageSql: string;
  readonly maxId: number;
}

export interface WorkerReads {
  /** The first row of each query, in order. */
  readonly rows: RawRow[];
  /** Bit `id` of byte `id >> 3`; undefined when the ids lay outside 0..maxId. */
  readonly idBits?: Uint8Array;
}

/**
 * Runs read-only queries on a second thread, all in one read transaction (one snapshot), and
 * resolves with the first row of each. The main thread stays free meanwhile: the upgrade runs the
 * SQLite backup there. Plain JavaScript run with `eval`, as the key sealing worker, so that it
 * runs the same under tsx, vitest and the compiled build.
 */
export function queryOnWorkerThread(path: string, queries: readonly string[], idBits?: IdBitsRequest): Promise<WorkerReads> {
  const worker = new Worker(PROGRAM, {
    eval: true,
    workerData: { path, queries, idBits, sqliteModule: createRequire(import.meta.url).resolve("better-sqlite3") },
    // It holds one row per query; small limits keep its share of the upgrade's memory budget small.
    resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 12 },
  });
  return new Promise<WorkerReads>((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      outcome();
    };
    worker.once("message", (message: { rows?: RawRow[]; idBits?: Uint8Array | null; error?: string }) =>
      settle(() => {
        const { rows, idBits: bits } = message;
        if (rows === undefined) return reject(new Error(`a read on the worker thread failed: ${message.error ?? "no rows"}`));
        resolve(bits instanceof Uint8Array ? { rows, idBits: bits } : { rows });
      }),
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
  const idBits = workerData.idBits === undefined ? null : collectIdBits(workerData.idBits);
  db.exec("commit");
  parentPort.postMessage({ rows, idBits }, idBits === null ? [] : [idBits.buffer]);
} catch (error) {
  parentPort.postMessage({ error: error instanceof Error ? error.message : String(error) });
} finally {
  if (db !== undefined) db.close();
}

function collectIdBits({ rangeSql, pageSql, maxId }) {
  const [low, high] = db.prepare(rangeSql).raw().get() ?? [];
  if (typeof low !== "number" || typeof high !== "number" || low < 0 || high > maxId) return null;
  const bits = new Uint8Array((high >> 3) + 1);
  const page = db.prepare(pageSql).raw();
  for (let after = -(2n ** 63n); ; ) {
    const [last, ids] = page.get(after, high) ?? [];
    if (last === null || last === undefined) return bits;
    let id = 0;
    for (let at = 0; at <= ids.length; at += 1) {
      const code = at < ids.length ? ids.charCodeAt(at) : 44;
      if (code === 44) {
        bits[id >> 3] |= 1 << (id & 7);
        id = 0;
      } else {
        id = id * 10 + (code - 48);
      }
    }
    after = last;
  }
}
`;
