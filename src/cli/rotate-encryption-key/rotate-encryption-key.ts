import type { SecretCipher } from "../../crypto/secret-cipher.js";
import type { Database } from "../../db/database.js";
import { rotateDatabaseKeys } from "./rotate-database-keys.js";
import { rotateFileKeys } from "./rotate-file-keys.js";
import type { RotationPause } from "./rotation-pause.js";
import { MAX_LISTED_FAILURES, type KeyFailure, type RotationReport } from "./rotation-report.js";

export interface RotationOptions {
  readonly database: Database;
  /** Seals with ENCRYPTION_KEY; opens with it, ENCRYPTION_KEY_PREVIOUS and legacy version 1. */
  readonly cipher: SecretCipher;
  /** Where progress files live; null in `database` mode, which does no file I/O at all. */
  readonly progressDir: string | null;
  readonly batchSize: number;
  readonly pause: RotationPause;
}

/** Every stored API key, in the database and in progress files, brought to the current key version. */
export async function rotateEncryptionKey(options: RotationOptions): Promise<RotationReport> {
  const failures: KeyFailure[] = [];
  let failuresNotListed = 0;
  const onFailure = (failure: KeyFailure) => {
    if (failures.length < MAX_LISTED_FAILURES) failures.push(failure);
    else failuresNotListed += 1;
  };
  const database = await rotateDatabaseKeys(options.database, options.cipher, { batchSize: options.batchSize, pause: options.pause, onFailure });
  const files = options.progressDir === null ? null : await rotateFileKeys(options.progressDir, options.cipher, { pause: options.pause, onFailure });
  return {
    key_version: options.cipher.currentVersion,
    previous_key_versions: options.cipher.versions.slice(1),
    database,
    progress_files: files,
    failures,
    failures_not_listed: failuresNotListed,
    complete: failures.length === 0 && (files?.unreadable_files.length ?? 0) === 0,
  };
}
