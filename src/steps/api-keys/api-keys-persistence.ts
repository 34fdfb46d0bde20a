import type { Insertable, Selectable } from "kysely";
import { fromFlag, toFlag, toIsoTimestamp } from "../../db/column-codecs.js";
import type { ApiKeysTable } from "../../db/tables.js";
import { maskSecret, apiKeyContext, type SecretCipher } from "../../crypto/secret-cipher.js";
import type { JsonObject } from "../../onboarding/onboarding-record.js";
import type { StepFileCodec, StepPersistence, StepTable } from "../../storage/step-persistence.js";
import { preferredProviderOf, withKeys, type StoredApiKey, type StoredApiKeys } from "./api-keys-schema.js";

/** Step 1 in the `api_keys` table: one row per provider, the key sealed, only its last 4 characters in clear. */
export const apiKeysTable: StepTable = {
  table: "api_keys",

  writeMany(batch, writes) {
    // Providers a session no longer has go; sessions that keep the same providers share one delete.
    const removals = new Map<string, { kept: string[]; sessionIds: number[] }>();
    const rows: Insertable<ApiKeysTable>[] = [];
    for (const { sessionId, data, context } of writes) {
      const keys = Object.entries((data as StoredApiKeys | null)?.api_keys ?? {});
      const kept = keys.map(([provider]) => provider).sort();
      const removal = removals.get(JSON.stringify(kept)) ?? { kept, sessionIds: [] };
      removal.sessionIds.push(sessionId);
      removals.set(JSON.stringify(kept), removal);
      const preferred = (data as StoredApiKeys | null)?.preferred_provider;
      for (const [provider, key] of keys) {
        rows.push({
          preferred: toFlag(provider === preferred),
          session_id: sessionId,
          provider,
          key_ciphertext: key.ciphertext,
          key_last4: key.last4,
          key_version: key.key_version,
          created_at: context.now,
          updated_at: context.now,
        });
      }
    }
    for (const { kept, sessionIds } of removals.values()) {
      batch.deleteSessionRows("api_keys", sessionIds, { column: "provider", notIn: kept });
    }
    batch.upsert("api_keys", rows, {
      conflict: ["session_id", "provider"],
      update: ["key_ciphertext", "key_last4", "key_version", "preferred", "updated_at"],
    });
  },

  fromRows(rows) {
    const own = (rows as unknown as Selectable<ApiKeysTable>[]).toSorted((a, b) => (a.provider < b.provider ? -1 : a.provider > b.provider ? 1 : 0));
    const apiKeys: Record<string, StoredApiKey> = {};
    for (const row of own) apiKeys[row.provider] = { ciphertext: row.key_ciphertext, key_version: row.key_version, last4: row.key_last4 };
    const updatedAt = own.map((row) => toIsoTimestamp(row.updated_at)).sort().at(-1) as string;
    const preferred = own.find((row) => fromFlag(row.preferred))?.provider;
    return { data: withKeys(apiKeys, preferred), updatedAt };
  },
};

export function maskStoredKey(key: StoredApiKey): string {
  return maskSecret({ ciphertext: key.ciphertext, keyVersion: key.key_version, last4: key.last4 });
}

/** Matches what `maskSecret` writes: a file that holds only masks holds no key. */
const MASKED = /^\*+[\x21-\x7E]{0,4}$/;

/**
 * Progress files never hold a key in plaintext. In `dual` they hold masks only (the database
 * has the keys); in `file` mode, where the file is the only store, the sealed keys too.
 */
export function apiKeysFileCodec(cipher: SecretCipher): StepFileCodec {
  return {
    toFile(data, mode): JsonObject {
      const keys = (data as unknown as StoredApiKeys).api_keys;
      const masked = Object.fromEntries(Object.entries(keys).map(([provider, key]) => [provider, maskStoredKey(key)]));
      const preferred = preferredProviderOf(data);
      const file: JsonObject =
        mode === "dual"
          ? { api_keys: masked, api_keys_in_database: true }
          : { api_keys: masked, encrypted_api_keys: Object.fromEntries(Object.entries(keys).map(([provider, key]) => [provider, sealedKeyInFile(key)])) };
      if (preferred !== undefined) file.preferred_provider = preferred;
      return file;
    },

    fromFile(data, context): JsonObject | null {
      const keys: Record<string, StoredApiKey> = {};
      for (const [provider, value] of Object.entries(asStrings(data.encrypted_api_keys))) {
        const key = sealedKeyFromFile(value);
        if (key !== undefined) keys[provider] = key;
      }
      // The old platform wrote plaintext keys; seal them on the way in.
      for (const [provider, value] of Object.entries(asStrings(data.api_keys))) {
        if (keys[provider] !== undefined || MASKED.test(value)) continue;
        const sealed = cipher.seal(value, apiKeyContext(context.userId, provider));
        keys[provider] = { ciphertext: sealed.ciphertext, key_version: sealed.keyVersion, last4: sealed.last4 };
      }
      if (Object.keys(keys).length === 0) return null;
      return withKeys(keys, typeof data.preferred_provider === "string" ? data.preferred_provider : undefined);
    },
  };
}

/** A sealed key as `file` mode's `encrypted_api_keys` holds it: `v<version>:<last4>:<ciphertext>`. */
export function sealedKeyInFile(key: StoredApiKey): string {
  return `v${key.key_version}:${key.last4}:${key.ciphertext}`;
}

/** The sealed key of an `encrypted_api_keys` value; undefined when the value is not one. */
export function sealedKeyFromFile(value: string): StoredApiKey | undefined {
  const parsed = /^v(\d+):([\x21-\x7E]{0,4}):([A-Za-z0-9+/=]+)$/.exec(value);
  return parsed ? { key_version: Number(parsed[1]), last4: parsed[2] ?? "", ciphertext: parsed[3] ?? "" } : undefined;
}

function asStrings(value: unknown): Record<string, string> {
  if (typeof value !== "object" || value === null) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
}

export function apiKeysPersistence(cipher: SecretCipher): StepPersistence {
  return { stepNumber: 1, table: apiKeysTable, file: apiKeysFileCodec(cipher) };
}
