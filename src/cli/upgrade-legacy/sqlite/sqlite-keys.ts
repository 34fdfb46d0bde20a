import { apiKeyContext, last4Of, type SecretCipher } from "../../../crypto/secret-cipher.js";
import { CHILD_PLANS } from "../legacy/legacy-table-plan.js";
import { quoted } from "../shared/quoted.js";
import { execute, query, type UpgradeExecutor } from "../shared/raw-sql.js";
import { MERGE_TABLE } from "../shared/session-merges.js";
import { childInsertSql, copyChild, copyNewestOnly, insertedColumns, type ChildCopy, type ChildCopyOptions } from "./sqlite-child-copy.js";
import { fresh } from "./sqlite-column-sql.js";
import type { WorkerKeysTable } from "./sqlite-sealing-worker.js";
import { isUniqueViolation } from "./sqlite-unique-violation.js";

/** The schema names the worker's file and the backup are attached under; the upgrader detaches them after the commit. */
export const WORKER_KEYS_SCHEMA = "upgrade_sealed";
export const BACKUP_SCHEMA = "upgrade_backup";

/** Where the keys come from: a worker's table, or (undefined) sealing on this thread; either way the backup holds the plaintext. */
export interface KeySources {
  readonly worker: WorkerKeysTable | undefined;
  readonly backupPath: string;
}

const TABLE = quoted(fresh("api_keys"));
const LEGACY_KEYS = `${BACKUP_SCHEMA}."api_keys"`;

/**
 * What the worker runs in its file, with the backup attached: copyChild's INSERT … SELECT for
 * api_keys, reading the legacy sessions for the user id (our sessions do not exist there).
 * Keys whose session does not exist stay out, as in copyChild.
 */
export function workerKeysSql(now: string, keyVersion: number): string {
  return childInsertSql(CHILD_PLANS.api_keys, {
    now,
    hasMerges: false,
    keyVersion,
    keyUserId: "cast(s.user_id as text)",
    keysJoin: () => "join onboarding_sessions s on s.id = c.session_id",
    orphansToForeignKeyCheck: true,
  });
}

/**
 * Moves api_keys into ours. First the legacy table goes, its pages zeroed as they are freed so the
 * live file keeps no plaintext key, while the worker may still be sealing: from then on the keys
 * are read from the backup, attached (the same snapshot, as the upgrader proved with data_version).
 *
 * With no worker, copyChild seals each key on this thread. With one, once it has built the table
 * in its file: the file is attached, its probes must open with the real cipher to the plaintext
 * the backup holds, and the table goes in with one `INSERT … SELECT *`, which SQLite copies
 * record by record without decoding them (its transfer optimization: same schema, empty target),
 * or through MERGE_TABLE when sessions were merged. Duplicates (our unique constraint trips, in
 * the worker or here) fall back to the newest-only copy, which seals on this thread.
 */
export async function insertSqliteKeys(
  db: UpgradeExecutor,
  sources: KeySources,
  cipher: SecretCipher,
  copyOptions: ChildCopyOptions,
  legacyRows: number,
): Promise<ChildCopy> {
  await attach(db, sources.backupPath, BACKUP_SCHEMA);
  await dropWithSecureDelete(db, "api_keys");
  const options = { ...copyOptions, from: LEGACY_KEYS };
  const table = sources.worker;
  if (table === undefined) return copyChild(db, CHILD_PLANS.api_keys, legacyRows, options);
  const built = await table.built();
  const snapshot = options.tallies.counted();
  if (built.duplicates !== true) {
    await attach(db, table.path, WORKER_KEYS_SCHEMA);
    await checkProbes(db, table.keyVersion, cipher, built.rows);
    try {
      const kept = await execute(db, options.hasMerges ? remappedInsertSql() : `insert into main.${TABLE} select * from ${WORKER_KEYS_SCHEMA}.${TABLE}`);
      if (kept !== built.rows) throw new Error(`${kept} api_keys rows went in, but the worker built ${built.rows}`);
      options.tallies.add(built.tallies);
      return { kept, orphans: legacyRows - kept, superseded: 0 };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }
  return copyNewestOnly(db, CHILD_PLANS.api_keys, legacyRows, options, snapshot);
}

/** Read once in order: better-sqlite3's default of 16 MB of page cache per schema would only add to the peak memory. */
async function attach(db: UpgradeExecutor, path: string, schema: string): Promise<void> {
  await query(db, `attach database ? as ${schema}`, [path]);
  await execute(db, `pragma ${schema}.cache_size = -1024`);
}

async function dropWithSecureDelete(db: UpgradeExecutor, table: string): Promise<void> {
  await execute(db, "pragma secure_delete = on");
  await execute(db, `drop table main.${quoted(table)}`);
  await execute(db, "pragma secure_delete = off");
}

/** The worker's rows under the session their own merged into. */
function remappedInsertSql(): string {
  const columns = insertedColumns(CHILD_PLANS.api_keys).map(quoted);
  const values = columns.map((column) => (column === quoted("session_id") ? "coalesce(m.survivor_id, k.session_id)" : `k.${column}`));
  return `insert into main.${TABLE} (${columns.join(", ")})
    select ${values.join(", ")} from ${WORKER_KEYS_SCHEMA}.${TABLE} k left join ${MERGE_TABLE} m on m.legacy_id = k.session_id`;
}

interface Probe {
  readonly id: number;
  readonly ciphertext: string | null;
  readonly last4: string | null;
  readonly key: unknown;
  readonly user_id: unknown;
  readonly provider: unknown;
}

async function checkProbes(db: UpgradeExecutor, keyVersion: number, cipher: SecretCipher, rows: number): Promise<void> {
  const probes = await query<Probe>(
    db,
    `select p.id, k.key_ciphertext as ciphertext, k.key_last4 as last4, c."key" as key, cast(s.user_id as text) as user_id, c.provider
     from ${WORKER_KEYS_SCHEMA}.probes p
     left join ${WORKER_KEYS_SCHEMA}.${TABLE} k on k.id = p.id
     left join ${LEGACY_KEYS} c on c.id = p.id
     left join ${BACKUP_SCHEMA}."onboarding_sessions" s on s.id = c.session_id`,
  );
  if (rows > 0 && probes.length === 0) throw new Error(`the worker built ${rows} api_keys rows but no probe to check them by`);
  for (const probe of probes) {
    const plaintext = String(probe.key);
    if (opened(cipher, probe, keyVersion) !== plaintext || probe.last4 !== last4Of(plaintext)) {
      throw new Error(`the key sealed for api_keys row ${probe.id} does not open with the cipher's key version ${keyVersion}`);
    }
  }
}

function opened(cipher: SecretCipher, probe: Probe, keyVersion: number): string | undefined {
  if (probe.ciphertext === null) return undefined;
  try {
    return cipher.open({ ciphertext: probe.ciphertext, keyVersion }, apiKeyContext(String(probe.user_id), String(probe.provider)));
  } catch {
    return undefined;
  }
}
