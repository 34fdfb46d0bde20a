import { stepPersistences } from "../src/composition/step-registry.js";
import { parseDatabaseUrl } from "../src/config/database-location.js";
import { SecretCipher } from "../src/crypto/secret-cipher.js";
import { openDatabase } from "../src/db/database.js";
import { DatabaseStore } from "../src/storage/database-store.js";
import type { BenchTarget } from "./http-bench-targets.js";
import { settleDatabase } from "./settle-database.js";

/** Users written per transaction: the store's bulk path, as `import-files` uses it. */
const BATCH = 500;

/**
 * Grows a target's database from `from` to `to` users with the store's own bulk path (not
 * timed): each new user holds a copy of `templateUserId`'s record (steps 1-5 completed, its
 * sealed keys as they are), so that every table grows as it would with real users; then the
 * database is settled (settle-database.ts). The measured requests stay with the users onboarded
 * through the API; these only make the database bigger. Database rows only: a dual-mode
 * server's progress folder keeps the measured users' files.
 */
export async function growPopulation(target: BenchTarget, templateUserId: string, from: number, to: number): Promise<void> {
  if (to <= from) return;
  const env = target.command.env;
  const database = openDatabase(parseDatabaseUrl(required(env, "DATABASE_URL")));
  try {
    const store = new DatabaseStore(database, stepPersistences(SecretCipher.fromBase64(required(env, "ENCRYPTION_KEY"))));
    await growStore(store, templateUserId, from, to);
    await settleDatabase(database);
  } finally {
    await database.close();
  }
}

/** Users `from` to `to` (exclusive) as copies of the template user's record, BATCH per transaction. */
export async function growStore(store: DatabaseStore, templateUserId: string, from: number, to: number): Promise<void> {
  const template = await store.read(templateUserId);
  if (template === null) throw new Error(`the template user ${templateUserId} has no record`);
  for (let start = from; start < to; start += BATCH) {
    const userIds = Array.from({ length: Math.min(BATCH, to - start) }, (_, i) => fillerUserId(start + i));
    await store.updateMany(userIds.map((userId) => ({ userId, change: () => ({ ...template, userId }) })));
  }
}

function fillerUserId(index: number): string {
  return `user_filler_${String(index).padStart(7, "0")}`;
}

function required(env: Readonly<Record<string, string>>, name: string): string {
  const value = env[name];
  if (value === undefined) throw new Error(`the bench target has no ${name}`);
  return value;
}
