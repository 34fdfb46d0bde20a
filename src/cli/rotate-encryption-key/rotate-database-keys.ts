import type { Database } from "../../db/database.js";
import type { StoredApiKey } from "../../steps/api-keys/api-keys-schema.js";
import type { SecretCipher } from "../../crypto/secret-cipher.js";
import { resealKey } from "./reseal-key.js";
import type { DatabaseRotation, KeyFailure } from "./rotation-report.js";
import type { RotationPause } from "./rotation-pause.js";

export const DEFAULT_BATCH_SIZE = 500;

export interface DatabaseRotationOptions {
  readonly batchSize: number;
  readonly pause: RotationPause;
  readonly onFailure: (failure: KeyFailure) => void;
}

interface Resealing {
  readonly id: number;
  readonly before: string;
  readonly after: StoredApiKey;
}

/**
 * Re-seals every row of api_keys that is not on the current key version, in batches of ids
 * (keyset pagination), each batch written in one transaction. Only rows on another version are
 * read, so a re-run after a kill starts where the committed batches ended; rows that open with
 * no configured key are reported and left as they are.
 *
 * A row is replaced only if it still holds the ciphertext that was opened: a save that replaced
 * the key meanwhile (sealed with the current key, by a server that has both) wins.
 */
export async function rotateDatabaseKeys(database: Database, cipher: SecretCipher, options: DatabaseRotationOptions): Promise<DatabaseRotation> {
  const current = cipher.currentVersion;
  const counts = { resealed: 0, already_current: await countOnVersion(database, current), changed_meanwhile: 0, failed: 0, batches: 0 };
  let afterId = 0;
  for (;;) {
    const rows = await database.kysely
      .selectFrom("api_keys as k")
      .innerJoin("onboarding_sessions as s", "s.id", "k.session_id")
      .select(["k.id", "k.provider", "k.key_ciphertext", "k.key_last4", "k.key_version", "s.user_id"])
      .where("k.key_version", "<>", current)
      .where("k.id", ">", afterId)
      .orderBy("k.id")
      .limit(options.batchSize)
      .execute();
    const last = rows.at(-1);
    if (last === undefined) return counts;
    afterId = last.id;
    counts.batches += 1;

    const resealings: Resealing[] = [];
    for (const row of rows) {
      const stored = { ciphertext: row.key_ciphertext, key_version: row.key_version, last4: row.key_last4 };
      const result = resealKey(cipher, stored, row.user_id, row.provider);
      if (result.outcome === "resealed") resealings.push({ id: row.id, before: row.key_ciphertext, after: result.key });
      if (result.outcome === "failed") {
        counts.failed += 1;
        options.onFailure({ store: "database", file: null, user_id: row.user_id, provider: row.provider, key_version: row.key_version, reason: result.reason });
      }
    }
    const written = await writeBatch(database, resealings, () => options.pause(`batch-${counts.batches}`));
    counts.resealed += written;
    counts.changed_meanwhile += resealings.length - written;
  }
}

async function countOnVersion(database: Database, version: number): Promise<number> {
  const row = await database.kysely
    .selectFrom("api_keys")
    .select((eb) => eb.fn.countAll().as("n"))
    .where("key_version", "=", version)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** One transaction; returns how many rows still held what was opened and were replaced. */
async function writeBatch(database: Database, resealings: readonly Resealing[], beforeCommit: () => void): Promise<number> {
  return database.writeTransaction(async (trx) => {
    let written = 0;
    for (const { id, before, after } of resealings) {
      // updated_at stays: the key itself did not change, and it is the step's "data updated" time.
      const result = await trx
        .updateTable("api_keys")
        .set({ key_ciphertext: after.ciphertext, key_last4: after.last4, key_version: after.key_version })
        .where("id", "=", id)
        .where("key_ciphertext", "=", before)
        .executeTakeFirst();
      written += Number(result.numUpdatedRows);
    }
    beforeCommit();
    return written;
  });
}
