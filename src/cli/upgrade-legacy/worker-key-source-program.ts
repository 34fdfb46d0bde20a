/**
 * The key sealing worker's whole program, as plain JavaScript run with `eval: true`, so that it
 * runs the same under tsx, vitest and the compiled build (a worker cannot load a .ts file).
 *
 * It repeats three rules of src/crypto/secret-cipher.ts, and the main thread checks every batch
 * against the real ones (worker-key-source.ts), so a drift fails the upgrade instead of storing
 * keys that cannot be opened:
 *  - SecretCipher.seal's format: base64 of nonce (12 bytes) ‖ ciphertext ‖ tag (16 bytes),
 *    AES-256-GCM, the context as additional authenticated data;
 *  - its last4 rule: the last 4 characters, none when the key has 4 or fewer;
 *  - apiKeyContext: "api-key", the user id and the provider joined by NUL.
 * Each key gets its own random nonce, drawn from a buffer that the CSPRNG refills every 4096
 * keys: one randomBytes call per key costs more than the encryption itself.
 *
 * It reads the backup in id order with the statement it is given, and seals at most
 * `batchesAhead` batches more than the main thread took (each take grants one more). A batch is
 * { ids: Float64Array, ciphertexts and last4s: { text, ends: Uint32Array }, probe }: the n-th
 * value is text.slice(ends[n - 1] ?? 0, ends[n]).
 */
export const WORKER_SOURCE = `
"use strict";
const { workerData } = require("node:worker_threads");
const { createCipheriv, createSecretKey, randomFillSync } = require("node:crypto");
const Database = require(workerData.sqliteModule);
const port = workerData.port;
const key = createSecretKey(Buffer.from(workerData.key));
const nonces = Buffer.alloc(12 * 4096);
let nextNonce = nonces.length;

function seal(one) {
  if (nextNonce === nonces.length) {
    randomFillSync(nonces);
    nextNonce = 0;
  }
  const nonce = nonces.subarray(nextNonce, (nextNonce += 12));
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  cipher.setAAD(Buffer.from("api-key\\u0000" + one.userId + "\\u0000" + one.provider, "utf8"));
  const body = cipher.update(one.plaintext, "utf8");
  cipher.final();
  return Buffer.concat([nonce, body, cipher.getAuthTag()]).toString("base64");
}

function joined(texts) {
  const ends = new Uint32Array(texts.length);
  let end = 0;
  texts.forEach((text, index) => (ends[index] = end += text.length));
  return { text: texts.join(""), ends };
}

let db;
let read;
let credit = workerData.batchesAhead;
let lastId = workerData.afterId;
let done = false;
let scheduled = false;

function schedule() {
  if (scheduled || done || credit <= 0) return;
  scheduled = true;
  setImmediate(sealNextBatch);
}

function sealNextBatch() {
  scheduled = false;
  try {
    const rows = read.all(lastId);
    if (rows.length === 0) {
      done = true;
      db.close();
      port.postMessage({ done: true });
      return;
    }
    lastId = rows[rows.length - 1][0];
    const keys = rows.map((row) => ({ plaintext: String(row[1]), userId: String(row[2]), provider: String(row[3]) }));
    credit -= 1;
    // One string and one typed array per column instead of thousands of small strings: far less
    // for the main thread to allocate and collect while it copies tables.
    const ids = new Float64Array(rows.map((row) => row[0]));
    const ciphertexts = joined(keys.map(seal));
    const last4s = joined(keys.map((one) => (one.plaintext.length > 4 ? one.plaintext.slice(-4) : "")));
    port.postMessage({ ids, ciphertexts, last4s, probe: keys[0] }, [ids.buffer, ciphertexts.ends.buffer, last4s.ends.buffer]);
  } catch (error) {
    done = true;
    port.postMessage({ error: String((error && error.stack) || error) });
  }
  schedule();
}

try {
  db = new Database(workerData.backupPath, { fileMustExist: true });
  // One pass in id order needs no page cache; better-sqlite3's default would grow to 16 MB.
  db.pragma("cache_size = -1024");
  read = db.prepare(workerData.readSql).raw(true);
  port.on("message", (grant) => {
    credit += grant;
    schedule();
  });
  schedule();
} catch (error) {
  port.postMessage({ error: String((error && error.stack) || error) });
}
`;
