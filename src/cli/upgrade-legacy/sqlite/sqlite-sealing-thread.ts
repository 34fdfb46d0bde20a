/**
 * The key sealing worker's whole program, as plain JavaScript run with `eval: true`, so that it
 * runs the same under tsx, vitest and the compiled build (a worker cannot load a .ts file).
 *
 * In a file of its own, with the backup attached, it runs the INSERT … SELECT it is given: our
 * api_keys table built from the legacy one, the SQL functions below sealing each key. Those
 * repeat three rules of src/crypto/secret-cipher.ts and sqlite-functions.ts, and the upgrade opens
 * the probes (every PROBE_EVERY-th sealed key) with the real cipher before it takes the table, so
 * a drift fails the upgrade instead of storing keys that cannot be opened:
 *  - SecretCipher.seal's format: base64 of nonce (12 bytes) ‖ ciphertext ‖ tag (16 bytes),
 *    AES-256-GCM, the context as additional authenticated data;
 *  - its last4 rule: the last 4 characters, none when the key has 4 or fewer;
 *  - apiKeyContext: "api-key", the user id and the provider joined by NUL;
 * and the tally function counts as the upgrade's own does. Each key gets its own random nonce,
 * drawn from a buffer that the CSPRNG refills every 4096 keys: one randomBytes call per key
 * costs more than the encryption itself.
 *
 * It posts { keys: { rows, tallies } } when done, { keys: { duplicates: true } } when our unique
 * constraint tripped (the upgrade then copies newest-first on its own thread), { keys: { error } }
 * otherwise. Then, with its core free, it runs the value checks it is given on the backup
 * (legacy-value-checks.ts) and posts { checks: rows } or { checks: { error } }.
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

const names = workerData.functionNames;
const tallies = { filled: {}, invalidJsonQuoted: {} };
const probes = [];
let sealed = 0;
function isUniqueViolation(error) {
  const code = error && error.code;
  return code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}

function described(error) {
  return { error: String((error && error.stack) || error) };
}

function buildKeys(file) {
  try {
    file.function(names.seal, { deterministic: false }, (plaintext, userId, provider, id) => {
      if (sealed++ % workerData.probeEvery === 0) probes.push(id);
      return seal(String(plaintext), String(userId), String(provider));
    });
    file.function(names.last4, { deterministic: true }, (plaintext) => {
      const text = String(plaintext);
      return text.length > 4 ? text.slice(-4) : "";
    });
    file.function(names.tally, { deterministic: false }, (kind, name, value) => {
      const tally = kind === "filled" ? tallies.filled : tallies.invalidJsonQuoted;
      tally[String(name)] = (tally[String(name)] || 0) + 1;
      return value;
    });
    file.exec(workerData.createTableSql);
    const rows = file.prepare(workerData.insertSql).run().changes;
    file.exec("create table probes (id integer primary key)");
    const probe = file.prepare("insert into probes (id) values (?)");
    for (const id of probes) probe.run(id);
    return { rows, tallies };
  } catch (error) {
    return isUniqueViolation(error) ? { duplicates: true } : described(error);
  }
}

let file;
try {
  file = new Database(workerData.path, { fileMustExist: true });
  // A scratch file: deleted when the upgrade ends, rebuilt by the next run if this one dies.
  file.pragma("journal_mode = off");
  file.pragma("synchronous = off");
  file.pragma("foreign_keys = off");
  file.pragma("cache_size = -2048");
  file.prepare("attach database ? as legacy").run(workerData.backupPath);
  // Read in order once: better-sqlite3's default of 16 MB per schema would only add to the peak memory.
  file.pragma("legacy.cache_size = -1024");
} catch (error) {
  parentPort.postMessage({ keys: described(error) });
}
if (file !== undefined) {
  parentPort.postMessage({ keys: buildKeys(file) });
  try {
    parentPort.postMessage({ checks: workerData.checkSql.map((sql) => file.prepare(sql).raw().get() || []) });
  } catch (error) {
    parentPort.postMessage({ checks: described(error) });
  } finally {
    file.close();
  }
}
`;
