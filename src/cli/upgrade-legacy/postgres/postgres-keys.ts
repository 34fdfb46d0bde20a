import { apiKeyContext, type SecretCipher } from "../../../crypto/secret-cipher.js";
import { query, type UpgradeExecutor } from "../shared/raw-sql.js";

const BATCH_SIZE = 1_000;

interface PlaintextKey {
  readonly id: number;
  readonly plaintext: string;
  readonly provider: string;
  readonly user_id: string;
}

/**
 * Seals every api_keys."key" into the key_* columns, one batch of ids at a time (keyset
 * pagination), so memory holds one batch however large the table is. Expects user_id to be
 * text already and every key to belong to a session.
 */
export async function sealPostgresKeys(db: UpgradeExecutor, cipher: SecretCipher): Promise<number> {
  let lastId = 0;
  let total = 0;
  for (;;) {
    const batch = await query<PlaintextKey>(
      db,
      `select k.id, k."key" as plaintext, k.provider, s.user_id
       from api_keys k join onboarding_sessions s on s.id = k.session_id
       where k.id > $1 order by k.id limit ${BATCH_SIZE}`,
      [lastId],
    );
    const last = batch.at(-1);
    if (last === undefined) return total;
    await writeSealed(db, cipher, batch);
    total += batch.length;
    lastId = last.id;
  }
}

async function writeSealed(db: UpgradeExecutor, cipher: SecretCipher, batch: readonly PlaintextKey[]): Promise<void> {
  const parameters: unknown[] = [];
  const rows = batch.map((row) => {
    const sealed = cipher.seal(row.plaintext, apiKeyContext(row.user_id, row.provider));
    parameters.push(row.id, sealed.ciphertext, sealed.last4, sealed.keyVersion);
    const at = parameters.length - 3;
    return `($${at}::integer, $${at + 1}::text, $${at + 2}::text, $${at + 3}::integer)`;
  });
  await query(
    db,
    `update api_keys as k set key_ciphertext = v.ciphertext, key_last4 = v.last4, key_version = v.version
     from (values ${rows.join(", ")}) as v(id, ciphertext, last4, version) where k.id = v.id`,
    parameters,
  );
}
