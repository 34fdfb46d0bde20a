import type SqliteDatabase from "better-sqlite3";
import { apiKeyContext, last4Of, type SecretCipher } from "../../../crypto/secret-cipher.js";

/**
 * The SQL functions that turn a legacy plaintext key into our key_ciphertext and key_last4
 * inside INSERT … SELECT, row by row, so that no key is ever written in clear. The upgrade's
 * thread and the key sealing thread register these same functions: SecretCipher seals in both.
 */
export const SEAL_KEY_FUNCTION = "upgrade_seal_key";
export const KEY_LAST4_FUNCTION = "upgrade_key_last4";

/**
 * key_ciphertext and key_last4 of the legacy key `c."key"` (alias `c`), bound to the user id that
 * `userId` selects (SQL) and the row's provider; the row id goes along for `onSealed`.
 */
export function sealedKeyValues(userId: string): readonly [string, string] {
  return [`${SEAL_KEY_FUNCTION}(c."key", ${userId}, c.provider, c.id)`, `${KEY_LAST4_FUNCTION}(c."key")`];
}

/** Registers both functions on `connection`; `onSealed` hears the id of each row sealed. */
export function registerKeyFunctions(connection: SqliteDatabase.Database, cipher: SecretCipher, onSealed?: (id: unknown) => void): void {
  connection.function(SEAL_KEY_FUNCTION, { deterministic: false }, (key, userId, provider, id) => {
    onSealed?.(id);
    return cipher.seal(String(key), apiKeyContext(String(userId), String(provider))).ciphertext;
  });
  connection.function(KEY_LAST4_FUNCTION, { deterministic: true }, (key) => last4Of(String(key)));
}
