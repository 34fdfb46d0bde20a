import type SqliteDatabase from "better-sqlite3";
import { apiKeyContext, type SecretCipher } from "../../crypto/secret-cipher.js";

/** Sealed keys of consecutive live api_keys rows, in id order: what SecretCipher.seal gives for each. */
export interface SealedBatch {
  /** Ascending. */
  readonly ids: ArrayLike<number>;
  ciphertext(index: number): string;
  last4(index: number): string;
}

/**
 * Where the SQLite upgrade gets every live legacy key sealed, a batch at a time, in id order.
 * A worker source seals ahead on another thread while the main thread copies other tables.
 */
export interface SealedKeySource {
  /** The key version every ciphertext is sealed with. */
  readonly keyVersion: number;
  /** The next batch; undefined when it is not ready and `wait` is false; null once all were given. */
  next(wait: boolean): Promise<SealedBatch | null | undefined>;
  close(): Promise<void>;
}

/**
 * Keys per batch. A worker batch carries its ciphertexts as one string: at a thousand keys it
 * stays under V8's large-object size, so the main thread frees it young instead of piling
 * batches up in the old generation until a full collection (30 MB of peak RSS at 2,000).
 */
export const BATCH_KEYS = 1_000;

/** Below every id: a legacy file may hold ids of 0 or less, which AUTOINCREMENT never gives. */
export const BEFORE_FIRST_ID = Number.MIN_SAFE_INTEGER;

/**
 * The live keys (their own session exists, a merged-away one included) after an id, with the
 * user id as text: the context each key is sealed under. Merged sessions share that text, so it
 * is the survivor's user id too. Returns arrays: id, key, user id, provider.
 */
export const READ_PLAINTEXT_KEYS_SQL = `select c.id, c."key", cast(s.user_id as text), c.provider
  from api_keys c join onboarding_sessions s on s.id = c.session_id
  where c.id > ? order by c.id limit ${BATCH_KEYS}`;

export type PlaintextKeyRow = [number, unknown, unknown, unknown];

/**
 * Reads and seals on the calling thread whenever asked: nothing overlaps, so every batch is
 * ready, and the whole table goes in at the rebuild's first pump, before the sessions are copied.
 */
export function inThreadKeySource(connection: SqliteDatabase.Database, cipher: SecretCipher): SealedKeySource {
  const read = connection.prepare<[number], PlaintextKeyRow>(READ_PLAINTEXT_KEYS_SQL).raw(true);
  let lastId = BEFORE_FIRST_ID;
  let finished = false;
  return {
    keyVersion: cipher.seal("probe", "probe").keyVersion,
    async next() {
      const rows = finished ? [] : read.all(lastId);
      const last = rows.at(-1);
      finished = last === undefined;
      if (last === undefined) return null;
      lastId = last[0];
      const secrets = rows.map((row) => cipher.seal(String(row[1]), apiKeyContext(String(row[2]), String(row[3]))));
      return {
        ids: rows.map((row) => row[0]),
        ciphertext: (index) => secrets[index]?.ciphertext ?? "",
        last4: (index) => secrets[index]?.last4 ?? "",
      };
    },
    close: async () => undefined,
  };
}
