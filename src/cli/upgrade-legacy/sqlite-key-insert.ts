import { apiKeyContext, type SecretCipher } from "../../crypto/secret-cipher.js";
import type { UpgradeExecutor } from "./legacy-upgrader.js";
import { CHILD_PLANS } from "./legacy-table-plan.js";
import { execute, query } from "./raw-sql.js";
import type { SealedKeysFile } from "./sealed-keys-file.js";
import { childInsertSql, copyNewestOnly, isUniqueViolation, type ChildCopy, type ChildCopyOptions } from "./sqlite-child-copy.js";

/** The schema name the sealed keys file is attached under; the upgrader detaches it after the commit. */
export const SEALED_KEYS_SCHEMA = "upgrade_sealed";

export interface KeyInsert {
  readonly copy: ChildCopy;
  /** Rows inserted with an empty ciphertext because their session does not exist (see insertSealedKeys). */
  readonly orphansInserted: number;
}

/**
 * Moves api_keys into ours from the sealed keys file, once it holds every live key: attached to
 * the transaction's connection, it is joined by id in one INSERT … SELECT whose other columns
 * take the same SQL as in copyChild. First the probes (the first key of every sealed batch) must
 * open, with the real cipher, to the plaintext that the legacy row holds.
 *
 * As in copyChild, rows are not looked up in the sessions one by one: the file holds only the
 * keys whose session exists, and a row that is not in it (an orphan) goes in with an empty
 * ciphertext for the final foreign key check to remove. `orphansInserted` says how many; the
 * rebuild checks that the foreign key check removed exactly that many keys, so a live key that
 * was not sealed fails the upgrade. Duplicates (our unique constraint trips) fall back to the
 * newest-only copy, which seals on this thread.
 */
export async function insertSealedKeys(
  db: UpgradeExecutor,
  file: SealedKeysFile,
  cipher: SecretCipher,
  options: ChildCopyOptions,
  legacyRows: number,
): Promise<KeyInsert> {
  const sealed = await file.sealed();
  await query(db, `attach database ? as ${SEALED_KEYS_SCHEMA}`, [file.path]);
  await checkProbes(db, file.keyVersion, cipher, sealed);
  const snapshot = options.functions.tallies();
  try {
    const sql = childInsertSql(CHILD_PLANS.api_keys, {
      now: options.now,
      hasMerges: options.hasMerges,
      keyVersion: file.keyVersion,
      keyValues: ["coalesce(k.ciphertext, '')", "coalesce(k.last4, '')"],
      keysJoin: () => `left join ${SEALED_KEYS_SCHEMA}.sealed_keys k on k.id = c.id`,
      orphansToForeignKeyCheck: true,
    });
    const inserted = await execute(db, sql);
    if (inserted < sealed) throw new Error(`only ${inserted} api_keys rows went in, but ${sealed} keys were sealed`);
    return { copy: { kept: inserted, orphans: legacyRows - inserted, superseded: 0 }, orphansInserted: inserted - sealed };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  // The newest-only copy seals on this thread and leaves orphans out altogether.
  return { copy: await copyNewestOnly(db, CHILD_PLANS.api_keys, legacyRows, options, snapshot), orphansInserted: 0 };
}

async function checkProbes(db: UpgradeExecutor, keyVersion: number, cipher: SecretCipher, sealed: number): Promise<void> {
  const probes = await query<{ id: number; ciphertext: string | null; last4: string | null; key: unknown; user_id: string; provider: unknown }>(
    db,
    `select p.id, k.ciphertext, k.last4, c."key" as key, cast(s.user_id as text) as user_id, c.provider
     from ${SEALED_KEYS_SCHEMA}.probes p
     left join ${SEALED_KEYS_SCHEMA}.sealed_keys k on k.id = p.id
     left join api_keys c on c.id = p.id
     left join onboarding_sessions s on s.id = c.session_id`,
  );
  if (sealed > 0 && probes.length === 0) throw new Error(`the sealed keys file holds ${sealed} keys but no probe to check them by`);
  for (const probe of probes) {
    const plaintext = String(probe.key);
    // SecretCipher's own rule, to hold the worker's copy of it against.
    const last4 = cipher.seal(plaintext, "probe").last4;
    if (opened(cipher, probe, keyVersion) !== plaintext || probe.last4 !== last4) {
      throw new Error(`the key sealed for api_keys row ${probe.id} does not open with the cipher's key version ${keyVersion}`);
    }
  }
}

function opened(cipher: SecretCipher, probe: { ciphertext: string | null; user_id: string; provider: unknown }, keyVersion: number): string | undefined {
  try {
    return probe.ciphertext === null ? undefined : cipher.open({ ciphertext: probe.ciphertext, keyVersion }, apiKeyContext(String(probe.user_id), String(probe.provider)));
  } catch {
    return undefined;
  }
}
