import { randomBytes } from "node:crypto";
import { LEGACY_KEY_VERSION } from "../../crypto/key-version.js";
import { apiKeyContext, SecretCipher } from "../../crypto/secret-cipher.js";
import type { Database } from "../../db/database.js";
import { completeStep } from "../../onboarding/step-transitions.js";
import { DatabaseStore } from "../../storage/database-store.js";
import type { OnboardingStore } from "../../storage/onboarding-store.js";
import { sampleStepData, sealedKeys } from "../../test-support/sample-steps.js";
import { stepPersistences } from "../../composition/step-registry.js";

/** Test helpers for the rotation's test files: keys before and after, and users whose keys they sealed. */

export interface RotationKeys {
  readonly previous: string;
  readonly current: string;
  /** What the server and the rotation run with: ENCRYPTION_KEY=current, ENCRYPTION_KEY_PREVIOUS=previous. */
  readonly rotating: SecretCipher;
  /** The previous key alone: what sealed everything before the rotation. */
  readonly before: SecretCipher;
  /** The current key alone: what must open every key once the rotation is done. */
  readonly after: SecretCipher;
  /** The previous key as code before derived versions used it: version 1. */
  readonly legacy: SecretCipher;
  /** A key nobody configured: its secrets must be reported, never lost or overwritten. */
  readonly stranger: SecretCipher;
}

export function rotationKeys(): RotationKeys {
  const previous = randomBytes(32).toString("base64");
  const current = randomBytes(32).toString("base64");
  return {
    previous,
    current,
    rotating: SecretCipher.fromBase64(current, previous),
    before: SecretCipher.fromBase64(previous),
    after: SecretCipher.fromBase64(current),
    legacy: new SecretCipher(new Map([[LEGACY_KEY_VERSION, Buffer.from(previous, "base64")]]), LEGACY_KEY_VERSION),
    stranger: SecretCipher.fromBase64(randomBytes(32).toString("base64")),
  };
}

/** The plaintext key of a user and provider in these fixtures. */
export function plaintextKey(userId: string, provider: string): string {
  return `sk-${provider}-${userId}-secret`;
}

/** Saves step 1 (and step 2, which the rotation must leave alone) for a user, the keys sealed by `sealer`. */
export async function saveUserKeys(store: OnboardingStore, sealer: SecretCipher, userId: string, providers: readonly string[]): Promise<void> {
  const keys = Object.fromEntries(providers.map((provider) => [provider, plaintextKey(userId, provider)]));
  await store.update(userId, (record, now) => completeStep(record, 1, sealedKeys(sealer, userId, keys), () => [], now));
  await store.update(userId, (record, now) => completeStep(record, 2, sampleStepData(2, userId), () => [], now));
}

/**
 * `users` users with two keys each and user_legacy with one (sealed before versions were derived):
 * the rotation re-seals them; user_new's key is already current; `withUnopenable` adds user_lost,
 * whose key no configured key opens.
 */
export async function seedDatabase(database: Database, keys: RotationKeys, users: number, options: { withUnopenable: boolean }): Promise<void> {
  const store = new DatabaseStore(database, stepPersistences(keys.rotating));
  for (let i = 0; i < users; i++) await saveUserKeys(store, keys.before, `user_${i}`, ["openai", "exa"]);
  await saveUserKeys(store, keys.legacy, "user_legacy", ["gemini"]);
  await saveUserKeys(store, keys.after, "user_new", ["anthropic"]);
  if (options.withUnopenable) await saveUserKeys(store, keys.stranger, "user_lost", ["openai"]);
}

export interface KeyRow {
  readonly user_id: string;
  readonly provider: string;
  readonly key_ciphertext: string;
  readonly key_last4: string;
  readonly key_version: number;
  readonly updated_at: string;
}

export async function keyRows(database: Database): Promise<KeyRow[]> {
  const rows = await database.kysely
    .selectFrom("api_keys as k")
    .innerJoin("onboarding_sessions as s", "s.id", "k.session_id")
    .select(["s.user_id", "k.provider", "k.key_ciphertext", "k.key_last4", "k.key_version", "k.updated_at"])
    .orderBy("k.id")
    .execute();
  return rows.map((row) => ({ ...row, updated_at: String(row.updated_at instanceof Date ? row.updated_at.toISOString() : row.updated_at) }));
}

/** The plaintext of a row with `cipher`, or undefined when it does not open with it. */
export function openRow(cipher: SecretCipher, row: Pick<KeyRow, "user_id" | "provider" | "key_ciphertext" | "key_version">): string | undefined {
  try {
    return cipher.open({ ciphertext: row.key_ciphertext, keyVersion: row.key_version }, apiKeyContext(row.user_id, row.provider));
  } catch {
    return undefined;
  }
}
