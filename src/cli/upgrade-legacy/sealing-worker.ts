import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import {
  BEFORE_FIRST_ID,
  createSealedKeysFile,
  INSERT_PROBE_SQL,
  INSERT_SEALED_KEY_SQL,
  READ_PLAINTEXT_KEYS_SQL,
  SEALED_KEYS_FILE_SETUP,
  type SealedKeysFile,
} from "./sealed-keys-file.js";
import { SEALING_WORKER_PROGRAM } from "./sealing-worker-program.js";

/** The raw bytes of the cipher's current key, which a worker thread needs to seal with it. */
export interface SealingKey {
  readonly key: Uint8Array;
  readonly version: number;
}

/**
 * Seals the keys into the file at `sealedPath` on a worker thread, reading them from the backup
 * file: with a second core the encryption costs the upgrade almost no wall time, as its thread
 * copies the other tables meanwhile. The backup is the snapshot the upgrade starts from (the
 * upgrader proved with data_version that nothing wrote since), so its keys are the live ones.
 */
export function startSealingWorker(backupPath: string, sealedPath: string, sealingKey: SealingKey): SealedKeysFile {
  createSealedKeysFile(sealedPath);
  const worker = new Worker(SEALING_WORKER_PROGRAM, {
    eval: true,
    workerData: {
      key: sealingKey.key,
      backupPath,
      sealedPath,
      sqliteModule: createRequire(import.meta.url).resolve("better-sqlite3"),
      setupSql: SEALED_KEYS_FILE_SETUP,
      readSql: READ_PLAINTEXT_KEYS_SQL,
      insertSql: INSERT_SEALED_KEY_SQL,
      probeSql: INSERT_PROBE_SQL,
      afterId: BEFORE_FIRST_ID,
    },
    // Reading and sealing make much short-lived garbage: small heap limits make the worker collect
    // often instead of growing. One batch of keys needs far less than this; a worker that runs out
    // fails the upgrade.
    resourceLimits: { maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 12 },
  });
  const sealed = new Promise<number>((resolve, reject) => {
    worker.once("message", (message: { sealed?: number; error?: string }) =>
      typeof message.sealed === "number" ? resolve(message.sealed) : reject(new Error(`the key sealing worker failed: ${message.error ?? "no answer"}`)),
    );
    worker.once("error", (error) => reject(new Error(`the key sealing worker failed: ${error.message}`, { cause: error })));
    worker.once("exit", (code) => reject(new Error(`the key sealing worker stopped before it finished (exit code ${code})`)));
  });
  // Nobody may be waiting yet; the rejection reaches whoever calls sealed().
  sealed.catch(() => undefined);
  return {
    path: sealedPath,
    keyVersion: sealingKey.version,
    sealed: () => sealed,
    close: async () => {
      await worker.terminate();
    },
  };
}
