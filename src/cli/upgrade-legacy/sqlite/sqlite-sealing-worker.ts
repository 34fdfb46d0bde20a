import { closeSync, openSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { readValueChecks, VALUE_CHECK_SQL, type LegacyValueChecks } from "./sqlite-value-checks.js";
import type { Tallies } from "./sqlite-functions.js";
import { SEALING_WORKER_PROGRAM } from "./sqlite-sealing-thread.js";

/** The raw bytes of the cipher's current key, which a worker thread needs to seal with it. */
export interface SealingKey {
  readonly key: Uint8Array;
  readonly version: number;
}

/** What the worker built: our api_keys rows and what its tally function counted, or news of duplicates. */
export type BuiltKeys = { readonly rows: number; readonly tallies: Tallies; readonly duplicates?: never } | { readonly duplicates: true };

/**
 * Our api_keys table, built by a worker thread from the backup in a file of its own while the
 * upgrade's thread copies the other tables; see SqliteLegacyUpgrader for where the file goes.
 * It holds ciphertexts and last 4 characters, never a plaintext key.
 */
export interface WorkerKeysTable {
  readonly path: string;
  /** The key version every ciphertext is sealed with. */
  readonly keyVersion: number;
  /** Every PROBE_EVERY-th sealed row's id is in the file's `probes` table. */
  built(): Promise<BuiltKeys>;
  /** The value checks on the backup, which the worker runs once the keys are built. */
  checks(): Promise<LegacyValueChecks>;
  close(): Promise<void>;
}

export interface SealingWorkerOptions {
  readonly backupPath: string;
  readonly path: string;
  readonly sealingKey: SealingKey;
  /** Our api_keys table's CREATE TABLE, under the name the insert writes to. */
  readonly createTableSql: string;
  /** The INSERT … SELECT from the legacy tables (the backup), calling the functions below. */
  readonly insertSql: string;
  readonly functionNames: { readonly seal: string; readonly last4: string; readonly tally: string };
}

/** Sealed keys per probe: a thousand probes at a million keys. */
export const PROBE_EVERY = 1_000;

/**
 * Starts the worker. The backup is the snapshot the upgrade starts from (the upgrader proved with
 * data_version that nothing wrote since), so its keys are the live ones. The file is created
 * readable by its owner only, replacing what a killed run left.
 */
export function startSealingWorker(options: SealingWorkerOptions): WorkerKeysTable {
  rmSync(options.path, { force: true });
  closeSync(openSync(options.path, "wx", 0o600));
  const worker = new Worker(SEALING_WORKER_PROGRAM, {
    eval: true,
    workerData: {
      key: options.sealingKey.key,
      backupPath: options.backupPath,
      path: options.path,
      sqliteModule: createRequire(import.meta.url).resolve("better-sqlite3"),
      createTableSql: options.createTableSql,
      insertSql: options.insertSql,
      functionNames: options.functionNames,
      probeEvery: PROBE_EVERY,
      checkSql: VALUE_CHECK_SQL,
    },
    // Sealing makes much short-lived garbage: small heap limits make the worker collect often
    // instead of growing (4 MB of young generation measured fastest at a million keys, with
    // no more peak RSS than 1 MB). A worker that runs out fails the upgrade.
    resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 12 },
  });
  const failure = new Promise<never>((_, reject) => {
    worker.once("error", (error) => reject(new Error(`the key sealing worker failed: ${error.message}`, { cause: error })));
    worker.once("exit", (code) => reject(new Error(`the key sealing worker stopped before it finished (exit code ${code})`)));
  });
  const messages = { keys: answer<WorkerOutcome<BuiltKeys>>(), checks: answer<WorkerOutcome<unknown[][]>>() };
  worker.on("message", (message: { keys?: WorkerOutcome<BuiltKeys>; checks?: WorkerOutcome<unknown[][]> }) => {
    if (message.keys !== undefined) messages.keys.resolve(message.keys);
    if (message.checks !== undefined) messages.checks.resolve(message.checks);
  });
  const built = Promise.race([messages.keys.promise, failure]).then(outcomeOf);
  const checks = Promise.race([messages.checks.promise, failure]).then((outcome) => readValueChecks(outcomeOf(outcome)));
  // Nobody may be waiting yet; a rejection reaches whoever calls built() or checks().
  built.catch(() => undefined);
  checks.catch(() => undefined);
  return {
    path: options.path,
    keyVersion: options.sealingKey.version,
    built: () => built,
    checks: () => checks,
    close: async () => {
      await worker.terminate();
    },
  };
}

type WorkerOutcome<T> = T | { readonly error: string };

function outcomeOf<T>(outcome: WorkerOutcome<T>): T {
  if (typeof outcome === "object" && outcome !== null && "error" in outcome) throw new Error(`the key sealing worker failed: ${outcome.error}`);
  return outcome;
}

function answer<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((settle) => (resolve = settle));
  return { promise, resolve };
}
