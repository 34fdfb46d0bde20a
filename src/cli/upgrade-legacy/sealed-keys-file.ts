import { closeSync, openSync, rmSync } from "node:fs";
import SqliteDatabase from "better-sqlite3";
import { apiKeyContext, type SecretCipher } from "../../crypto/secret-cipher.js";

/**
 * The SQLite upgrade seals every live legacy key into a file of its own, beside the backup, and
 * then inserts them all with one INSERT … SELECT that joins that file (attached) by id: no call
 * back into JavaScript per key. A worker thread fills it while the upgrade's thread copies the
 * other tables. It holds ciphertexts and last 4 characters only, never a plaintext key, and is
 * deleted when the upgrade ends.
 */
export interface SealedKeysFile {
  readonly path: string;
  /** The key version every ciphertext is sealed with. */
  readonly keyVersion: number;
  /** Waits until every live key is in the file; resolves with how many are. */
  sealed(): Promise<number>;
  close(): Promise<void>;
}

/** Pragmas and tables of a sealed keys file, run by whoever writes it (the worker is plain JavaScript). */
export const SEALED_KEYS_FILE_SETUP = `
  pragma journal_mode = off;
  pragma synchronous = off;
  create table sealed_keys (id integer primary key, ciphertext text not null, last4 text not null);
  create table probes (id integer primary key);`;
export const INSERT_SEALED_KEY_SQL = "insert into sealed_keys (id, ciphertext, last4) values (?, ?, ?)";
/** The first key of every batch, which the upgrade opens with the real cipher before it trusts the file. */
export const INSERT_PROBE_SQL = "insert into probes (id) values (?)";

/** Keys read (and sealed) per batch; the first of each is a probe. */
export const BATCH_KEYS = 1_000;

/**
 * The live keys (their own session exists, a merged-away one included) after an id, with the
 * user id as text: the context each key is sealed under. Merged sessions share that text, so it
 * is the survivor's user id too. Returns arrays: id, key, user id, provider.
 */
export const READ_PLAINTEXT_KEYS_SQL = `select c.id, c."key", cast(s.user_id as text), c.provider
  from api_keys c join onboarding_sessions s on s.id = c.session_id
  where c.id > ? order by c.id limit ${BATCH_KEYS}`;

export type PlaintextKeyRow = [number, unknown, unknown, unknown];

/** Below every id: a legacy file may hold ids of 0 or less, which AUTOINCREMENT never gives. */
export const BEFORE_FIRST_ID = Number.MIN_SAFE_INTEGER;

/**
 * Creates the (empty) file, readable by its owner only from the moment it exists. The name is
 * the same for every run on one database, so the file that a killed run could not delete (it
 * holds ciphertexts only) goes at the next run.
 */
export function createSealedKeysFile(path: string): void {
  rmSync(path, { force: true });
  closeSync(openSync(path, "wx", 0o600));
}

/**
 * Seals on the calling thread, from `connection` (the upgrade's own, which still holds the legacy
 * tables), when sealed() is first called: nothing overlaps. For callers without the cipher's raw
 * key, which the worker needs.
 */
export function sealKeysInThread(connection: SqliteDatabase.Database, cipher: SecretCipher, path: string): SealedKeysFile {
  createSealedKeysFile(path);
  let sealing: Promise<number> | undefined;
  return {
    path,
    keyVersion: cipher.seal("probe", "probe").keyVersion,
    sealed: () => (sealing ??= Promise.resolve().then(() => sealAll(connection, cipher, path))),
    close: async () => undefined,
  };
}

function sealAll(connection: SqliteDatabase.Database, cipher: SecretCipher, path: string): number {
  const file = new SqliteDatabase(path, { fileMustExist: true });
  try {
    file.exec(SEALED_KEYS_FILE_SETUP);
    const read = connection.prepare<[number], PlaintextKeyRow>(READ_PLAINTEXT_KEYS_SQL).raw(true);
    const insert = file.prepare<[number, string, string]>(INSERT_SEALED_KEY_SQL);
    const probe = file.prepare<[number]>(INSERT_PROBE_SQL);
    let sealed = 0;
    file.exec("begin");
    for (let rows = read.all(BEFORE_FIRST_ID); rows.length > 0; rows = read.all(rows[rows.length - 1]![0])) {
      probe.run(rows[0]![0]);
      for (const [id, key, userId, provider] of rows) {
        const secret = cipher.seal(String(key), apiKeyContext(String(userId), String(provider)));
        insert.run(id, secret.ciphertext, secret.last4);
      }
      sealed += rows.length;
    }
    file.exec("commit");
    return sealed;
  } finally {
    file.close();
  }
}
