import { createRequire } from "node:module";
import { setTimeout as sleep } from "node:timers/promises";
import { MessageChannel, receiveMessageOnPort, Worker } from "node:worker_threads";
import { apiKeyContext, type SecretCipher } from "../../crypto/secret-cipher.js";
import { BEFORE_FIRST_ID, READ_PLAINTEXT_KEYS_SQL, type SealedBatch, type SealedKeySource } from "./sealed-key-source.js";
import { WORKER_SOURCE } from "./worker-key-source-program.js";

/** The raw bytes of the cipher's current key, which a worker thread needs to seal with it. */
export interface SealingKey {
  readonly key: Uint8Array;
  readonly version: number;
}

/** Batches the worker may seal ahead of the main thread (3 MB of ciphertexts): enough to keep it busy through a chunk. */
const BATCHES_AHEAD = 32;
/** How long the main thread sleeps between looks at the port when it has nothing else to do. */
const POLL_MS = 1;

/** Texts joined end to end; the n-th ends at ends[n]. */
interface Joined {
  readonly text: string;
  readonly ends: Uint32Array;
}

interface WorkerMessage {
  readonly ids?: Float64Array;
  readonly ciphertexts?: Joined;
  readonly last4s?: Joined;
  readonly done?: true;
  readonly error?: string;
  /** The first key of the batch, for the main thread to open its ciphertext with the real cipher. */
  readonly probe?: { readonly plaintext: string; readonly userId: string; readonly provider: string };
}

/**
 * Reads the keys from the backup file and seals them on a worker thread, so that with a second
 * core the encryption costs the upgrade almost no wall time: the main thread copies the other
 * tables meanwhile. The backup is the snapshot the upgrade starts from (the upgrader proved with
 * data_version that nothing wrote since), so its keys are the live ones, and this thread never
 * reads a plaintext key. Each batch's first ciphertext is opened here with `cipher` under the
 * context apiKeyContext builds, so a worker that sealed differently fails the upgrade.
 */
export function startWorkerKeySource(backupPath: string, sealingKey: SealingKey, cipher: SecretCipher): SealedKeySource {
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      port: port2,
      key: sealingKey.key,
      backupPath,
      sqliteModule: createRequire(import.meta.url).resolve("better-sqlite3"),
      readSql: READ_PLAINTEXT_KEYS_SQL,
      afterId: BEFORE_FIRST_ID,
      batchesAhead: BATCHES_AHEAD,
    },
    transferList: [port2],
    // Reading and sealing make much short-lived garbage: small heap limits make the worker collect
    // often instead of growing (measured at a million keys: 15 MB less peak RSS than the defaults).
    // One batch of keys needs far less than this; a worker that runs out fails the upgrade.
    resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 12 },
  });
  let failure: Error | undefined;
  let finished = false;
  worker.on("error", (error) => (failure ??= new Error(`the key sealing worker failed: ${error.message}`, { cause: error })));
  worker.on("exit", (code) => (failure ??= new Error(`the key sealing worker stopped (exit code ${code})`)));

  return {
    keyVersion: sealingKey.version,
    async next(wait) {
      if (finished) return null;
      for (;;) {
        // No listener on port1: a message stays queued until taken here, never delivered to nobody.
        const message = receiveMessageOnPort(port1)?.message as WorkerMessage | undefined;
        if (message !== undefined) {
          if (message.done === true) {
            finished = true;
            return null;
          }
          const batch = checked(message, sealingKey.version, cipher);
          port1.postMessage(1);
          return batch;
        }
        if (failure !== undefined) throw failure;
        if (!wait) return undefined;
        await sleep(POLL_MS);
      }
    },
    async close() {
      failure ??= new Error("the key sealing worker was closed");
      port1.close();
      await worker.terminate();
    },
  };
}

function checked(message: WorkerMessage, keyVersion: number, cipher: SecretCipher): SealedBatch {
  if (message.error !== undefined) throw new Error(`the key sealing worker failed: ${message.error}`);
  const { ids, ciphertexts, last4s, probe } = message;
  if (ids === undefined || ciphertexts === undefined || last4s === undefined || probe === undefined || ids.length === 0) {
    throw new Error("the key sealing worker sent an incomplete batch");
  }
  const batch: SealedBatch = { ids, ciphertext: (index) => nth(ciphertexts, index), last4: (index) => nth(last4s, index) };
  const ciphertext = batch.ciphertext(0);
  let opened: string | undefined;
  try {
    opened = cipher.open({ ciphertext, keyVersion }, apiKeyContext(probe.userId, probe.provider));
  } catch {
    opened = undefined;
  }
  if (opened !== probe.plaintext) throw new Error(`a key sealed by the worker does not open with the cipher's key version ${keyVersion}`);
  return batch;
}

function nth(joined: Joined, index: number): string {
  return joined.text.slice(index === 0 ? 0 : joined.ends[index - 1], joined.ends[index]);
}
