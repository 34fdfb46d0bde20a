import { parentPort, workerData } from "node:worker_threads";
import SqliteDatabase from "better-sqlite3";
import { SecretCipher } from "../../../crypto/secret-cipher.js";
import { registerKeyFunctions } from "./sqlite-key-functions.js";
import type { BuiltKeys, SealingThreadData, SealingThreadMessage, ThreadOutcome } from "./sqlite-sealing-worker.js";
import { SqliteTallies } from "./sqlite-tallies.js";
import { isUniqueViolation } from "./sqlite-unique-violation.js";
import { runValueChecks } from "./sqlite-value-checks.js";

/**
 * The key sealing thread, which sqlite-sealing-worker.ts starts. In a file of its own, with the
 * backup attached, it runs the INSERT … SELECT it is given: our api_keys table built from the
 * legacy one, through the very SQL functions the upgrade's thread registers (SecretCipher seals,
 * the same tally), and notes the id of every `probeEvery`-th sealed row in a `probes` table,
 * which the upgrade opens with its own cipher before it takes the table.
 *
 * It posts { keys: { rows, tallies } } when done, { keys: { duplicates: true } } when our unique
 * constraint tripped (the upgrade then copies newest-first on its own thread), { keys: { error } }
 * otherwise. Then, with its core free, it runs the value checks on the backup and posts { checks }.
 * Nothing it imports loads Kysely: the thread's heap is small.
 */
run(workerData as SealingThreadData);

function run(data: SealingThreadData): void {
  let file: SqliteDatabase.Database;
  try {
    file = openScratchFile(data);
  } catch (error) {
    return post({ keys: described(error) });
  }
  try {
    post({ keys: buildKeys(file, data) });
    post({ checks: outcomeOf(() => runValueChecks(file)) });
  } finally {
    file.close();
  }
}

/** A scratch file: deleted when the upgrade ends, rebuilt by the next run if this one dies. */
function openScratchFile(data: SealingThreadData): SqliteDatabase.Database {
  const file = new SqliteDatabase(data.path, { fileMustExist: true });
  try {
    file.pragma("journal_mode = off");
    file.pragma("synchronous = off");
    file.pragma("foreign_keys = off");
    file.pragma("cache_size = -2048");
    // Under the legacy tables' own names, which the insert and the value checks read.
    file.prepare("attach database ? as legacy").run(data.backupPath);
    // Read in order once: better-sqlite3's default of 16 MB per schema would only add to the peak memory.
    file.pragma("legacy.cache_size = -1024");
    return file;
  } catch (error) {
    file.close();
    throw error;
  }
}

function buildKeys(file: SqliteDatabase.Database, data: SealingThreadData): ThreadOutcome<BuiltKeys> {
  try {
    const cipher = new SecretCipher(new Map([[data.keyVersion, Buffer.from(data.key)]]), data.keyVersion);
    const probes: unknown[] = [];
    let sealed = 0;
    registerKeyFunctions(file, cipher, (id) => {
      if (sealed++ % data.probeEvery === 0) probes.push(id);
    });
    const tallies = new SqliteTallies(file);
    file.exec(data.createTableSql);
    const rows = file.prepare(data.insertSql).run().changes;
    file.exec("create table probes (id integer primary key)");
    const probe = file.prepare("insert into probes (id) values (?)");
    for (const id of probes) probe.run(id);
    return { rows, tallies: tallies.counted() };
  } catch (error) {
    return isUniqueViolation(error) ? { duplicates: true } : described(error);
  }
}

function outcomeOf<T>(work: () => T): ThreadOutcome<T> {
  try {
    return work();
  } catch (error) {
    return described(error);
  }
}

function described(error: unknown): { readonly error: string } {
  return { error: String((error instanceof Error && error.stack) || error) };
}

function post(message: SealingThreadMessage): void {
  parentPort?.postMessage(message);
}
