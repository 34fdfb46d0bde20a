import type { Config } from "../config/config.js";
import { loadOrCreateDevEncryptionKey } from "./encryption-key-file.js";
import { SecretCipher } from "./secret-cipher.js";

/**
 * ENCRYPTION_KEY when set (with ENCRYPTION_KEY_PREVIOUS while a rotation runs: both are read,
 * only the current one seals); in dev mode only, a key generated once into the data dir (with a warning).
 */
export function loadSecretCipher(
  config: Pick<Config, "encryptionKey" | "encryptionKeyPrevious" | "dataDir">,
  logger: { warn(object: object, message: string): void; info(object: object, message: string): void },
): SecretCipher {
  if (config.encryptionKey !== undefined) {
    const cipher = SecretCipher.fromBase64(config.encryptionKey, config.encryptionKeyPrevious);
    if (config.encryptionKeyPrevious !== undefined) {
      const [current, previous] = cipher.versions;
      logger.info(
        { key_version: current, previous_key_version: previous },
        "ENCRYPTION_KEY_PREVIOUS is set: keys sealed with it are still read; new keys are sealed with ENCRYPTION_KEY. Remove it once rotate-encryption-key reports nothing left",
      );
    }
    return cipher;
  }
  const devKey = loadOrCreateDevEncryptionKey(config.dataDir);
  logger.warn(
    { path: devKey.path, created: devKey.created },
    "ENCRYPTION_KEY is not set: using the dev key file (mode 0600); set ENCRYPTION_KEY outside local development",
  );
  return SecretCipher.fromBase64(devKey.key);
}
