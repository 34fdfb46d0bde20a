/**
 * The key sealing worker's whole program, as plain JavaScript run with `eval: true`, so that it
 * runs the same under tsx, vitest and the compiled build (a worker cannot load a .ts file).
 *
 * It repeats three rules of src/crypto/secret-cipher.ts, and the upgrade opens the first key of
 * every batch (the probes) with the real cipher before it inserts any (sqlite-key-insert.ts), so a
 * drift fails the upgrade instead of storing keys that cannot be opened:
 *  - SecretCipher.seal's format: base64 of nonce (12 bytes) ‖ ciphertext ‖ tag (16 bytes),
 *    AES-256-GCM, the context as additional authenticated data;
 *  - its last4 rule: the last 4 characters, none when the key has 4 or fewer;
 *  - apiKeyContext: "api-key", the user id and the provider joined by NUL.
 * Each key gets its own random nonce, drawn from a buffer that the CSPRNG refills every 4096
 * keys: one randomBytes call per key costs more than the encryption itself.
 *
 * It reads the backup in id order, a batch at a time, with the statement it is given, and writes
 * each key sealed into the sealed keys file (sealed-keys-file.ts) in one transaction; it posts
 * { sealed } when done, { error } otherwise.
 */
export const SEALING_WORKER_PROGRAM = `
"use strict";
const { workerData, parentPort } = require("node:worker_threads");
const { createCipheriv, createSecretKey, randomFillSync } = require("node:crypto");
const Database = require(workerData.sqliteModule);
const key = createSecretKey(Buffer.from(workerData.key));
const nonces = Buffer.alloc(12 * 4096);
let nextNonce = nonces.length;

function seal(plaintext, userId, provider) {
  if (nextNonce === nonces.length) {
    randomFillSync(nonces);
    nextNonce = 0;
  }
  const nonce = nonces.subarray(nextNonce, (nextNonce += 12));
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  cipher.setAAD(Buffer.from("api-key\\u0000" + userId + "\\u0000" + provider, "utf8"));
  const body = cipher.update(plaintext, "utf8");
  cipher.final();
  return Buffer.concat([nonce, body, cipher.getAuthTag()]).toString("base64");
}

let backup;
let file;
try {
  backup = new Database(workerData.backupPath, { readonly: true, fileMustExist: true });
  // One pass in id order needs no page cache; better-sqlite3's default would grow to 16 MB.
  backup.pragma("cache_size = -1024");
  file = new Database(workerData.sealedPath, { fileMustExist: true });
  file.pragma("cache_size = -1024");
  file.exec(workerData.setupSql);
  const read = backup.prepare(workerData.readSql).raw(true);
  const insert = file.prepare(workerData.insertSql);
  const probe = file.prepare(workerData.probeSql);
  let sealed = 0;
  file.exec("begin");
  for (let rows = read.all(workerData.afterId); rows.length > 0; rows = read.all(rows[rows.length - 1][0])) {
    probe.run(rows[0][0]);
    for (const row of rows) {
      const plaintext = String(row[1]);
      insert.run(row[0], seal(plaintext, String(row[2]), String(row[3])), plaintext.length > 4 ? plaintext.slice(-4) : "");
    }
    sealed += rows.length;
  }
  file.exec("commit");
  parentPort.postMessage({ sealed });
} catch (error) {
  parentPort.postMessage({ error: String((error && error.stack) || error) });
} finally {
  if (file !== undefined) file.close();
  if (backup !== undefined) backup.close();
}
`;
