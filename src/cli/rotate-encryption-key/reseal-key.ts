import { apiKeyContext, SecretDecryptionFailed, type SecretCipher } from "../../crypto/secret-cipher.js";
import type { StoredApiKey } from "../../steps/api-keys/api-keys-schema.js";

export type Resealed =
  | { readonly outcome: "current" }
  | { readonly outcome: "resealed"; readonly key: StoredApiKey }
  | { readonly outcome: "failed"; readonly reason: string };

/**
 * One stored key brought to the cipher's current key: opened with the key of its version (bound
 * to the same user and provider) and sealed again. The reason of a failure names versions only,
 * never the key.
 */
export function resealKey(cipher: SecretCipher, key: StoredApiKey, userId: string, provider: string): Resealed {
  if (key.key_version === cipher.currentVersion) return { outcome: "current" };
  const context = apiKeyContext(userId, provider);
  let plaintext: string;
  try {
    plaintext = cipher.open({ ciphertext: key.ciphertext, keyVersion: key.key_version }, context);
  } catch (error) {
    if (error instanceof SecretDecryptionFailed) return { outcome: "failed", reason: error.message };
    throw error;
  }
  const sealed = cipher.seal(plaintext, context);
  return { outcome: "resealed", key: { ciphertext: sealed.ciphertext, key_version: sealed.keyVersion, last4: sealed.last4 } };
}
