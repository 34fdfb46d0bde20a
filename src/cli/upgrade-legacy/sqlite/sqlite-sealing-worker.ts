import { closeSync, openSync, rmSync } from "node:fs";
import { startWorkerModule } from "../../shared/start-worker-module.js";
import type { SealingKey } from "../legacy-upgrader.js";
import type { Tallies } from "./sqlite-tallies.js";
import type { LegacyValueChecks } from "./sqlite-value-checks.js";

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
  /** The INSERT … SELECT from the legacy tables (the backup), calling sqlite-key-functions.ts's functions. */
  readonly insertSql: string;
}

/** Sealed keys per probe: a thousand probes at a million keys. */
export const PROBE_EVERY = 1_000;

/** What the thread (sqlite-sealing-thread.ts) is given. */
export interface SealingThreadData extends Omit<SealingWorkerOptions, "sealingKey"> {
  readonly key: Uint8Array;
  readonly keyVersion: number;
  readonly probeEvery: number;
}

/** What the thread posts: first the keys, then the checks, each a result or the error that stopped it. */
export type SealingThreadMessage = { readonly keys: ThreadOutcome<BuiltKeys> } | { readonly checks: ThreadOutcome<LegacyValueChecks> };
export type ThreadOutcome<T> = T | { readonly error: string };

/**
 * Starts the worker. The backup is the snapshot the upgrade starts from (the upgrader proved with
 * data_version that nothing wrote since), so its keys are the live ones. The file is created
 * readable by its owner only, replacing what a killed run left.
 */
export function startSealingWorker(options: SealingWorkerOptions): WorkerKeysTable {
  rmSync(options.path, { force: true });
  closeSync(openSync(options.path, "wx", 0o600));
  const { sealingKey, ...sql } = options;
  const workerData: SealingThreadData = { ...sql, key: sealingKey.key, keyVersion: sealingKey.version, probeEvery: PROBE_EVERY };
  const worker = startWorkerModule(new URL("./sqlite-sealing-thread.js", import.meta.url), {
    workerData,
    // Sealing makes much short-lived garbage: small heap limits make the worker collect often
    // instead of growing (4 MB of young generation measured fastest at a million keys, with
    // no more peak RSS than 1 MB). A worker that runs out fails the upgrade.
    resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 12 },
  });
  const failure = new Promise<never>((_, reject) => {
    worker.once("error", (error) => reject(new Error(`the key sealing worker failed: ${error.message}`, { cause: error })));
    worker.once("exit", (code) => reject(new Error(`the key sealing worker stopped before it finished (exit code ${code})`)));
  });
  const answers = { keys: answer<ThreadOutcome<BuiltKeys>>(), checks: answer<ThreadOutcome<LegacyValueChecks>>() };
  worker.on("message", (message: SealingThreadMessage) => {
    if ("keys" in message) answers.keys.resolve(message.keys);
    else answers.checks.resolve(message.checks);
  });
  const built = Promise.race([answers.keys.promise, failure]).then(outcomeOf);
  const checks = Promise.race([answers.checks.promise, failure]).then(outcomeOf);
  // Nobody may be waiting yet; a rejection reaches whoever calls built() or checks().
  built.catch(() => undefined);
  checks.catch(() => undefined);
  return {
    path: options.path,
    keyVersion: sealingKey.version,
    built: () => built,
    checks: () => checks,
    close: async () => {
      await worker.terminate();
    },
  };
}

function outcomeOf<T extends object>(outcome: ThreadOutcome<T>): T {
  if ("error" in outcome) throw new Error(`the key sealing worker failed: ${outcome.error}`);
  return outcome;
}

function answer<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((settle) => (resolve = settle));
  return { promise, resolve };
}
