import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const DEV_KEY_FILE_NAME = "encryption.key";

/**
 * Dev mode only: the key is generated once into the data dir (mode 0600) so that keys saved
 * yesterday still open today. `wx` makes two processes starting at once agree on one key.
 */
export function loadOrCreateDevEncryptionKey(dataDir: string): { key: string; created: boolean; path: string } {
  const path = join(dataDir, DEV_KEY_FILE_NAME);
  mkdirSync(dataDir, { recursive: true });
  try {
    writeFileSync(path, randomBytes(32).toString("base64") + "\n", { mode: 0o600, flag: "wx" });
    return { key: readKey(path), created: true, path };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    return { key: readKey(path), created: false, path };
  }
}

function readKey(path: string): string {
  const key = readFileSync(path, "utf8").trim();
  if (Buffer.from(key, "base64").length !== 32) throw new Error(`${path} does not hold base64 of 32 bytes`);
  return key;
}
