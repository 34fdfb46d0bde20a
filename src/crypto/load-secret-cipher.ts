import type { Config } from "../config/config.js";
import { loadOrCreateDevEncryptionKey } from "./encryption-key-file.js";
import { SecretCipher } from "./secret-cipher.js";

/** ENCRYPTION_KEY when set; in dev mode only, a key generated once into the data dir (with a warning). */
export function loadSecretCipher(
  config: Pick<Config, "encryptionKey" | "dataDir">,
  logger: { warn(object: object, message: string): void },
): SecretCipher {
  if (config.encryptionKey !== undefined) return SecretCipher.fromBase64(config.encryptionKey);
  const devKey = loadOrCreateDevEncryptionKey(config.dataDir);
  logger.warn(
    { path: devKey.path, created: devKey.created },
    "ENCRYPTION_KEY is not set: using the dev key file (mode 0600); set ENCRYPTION_KEY outside local development",
  );
  return SecretCipher.fromBase64(devKey.key);
}
