import { createHash } from "node:crypto";
import { join } from "node:path";

/**
 * Progress-file names (decision 0006). The old platform's rule, `.onboarding_progress_{safe id}.json`,
 * gives a name of 26 + id-length bytes, and a file system holds 255 in one name: ids of up to 229
 * characters keep exactly that name. A longer id's name keeps the first 128 characters of the
 * safe id, for people reading the folder, and the SHA-256 of the whole id, which makes it unique.
 */

const PREFIX = ".onboarding_progress_";
const SUFFIX = ".json";
/** The longest name ext4, XFS, btrfs, APFS and NTFS accept, in bytes (safe ids are ASCII: one byte a character). */
const NAME_MAX_BYTES = 255;
const READABLE_PREFIX_LENGTH = 128;

/** The old platform's rule: every character outside [A-Za-z0-9_-] becomes `_`. */
export function sanitizeUserId(userId: string): string {
  return userId.replace(/[^A-Za-z0-9_-]/g, "_");
}

/** Group 1: the safe id, or its first 128 characters; group 2, in a shortened name only: the SHA-256 of the id. */
export const PROGRESS_FILE_PATTERN = /^\.onboarding_progress_([A-Za-z0-9_-]*)(?:\.([0-9a-f]{64}))?\.json$/;

export function progressFileName(userId: string): string {
  const safe = sanitizeUserId(userId);
  const oldName = `${PREFIX}${safe}${SUFFIX}`;
  if (oldName.length <= NAME_MAX_BYTES) return oldName;
  // The "." before the hash is what no old name holds: a shortened name is never another id's old one.
  return `${PREFIX}${safe.slice(0, READABLE_PREFIX_LENGTH)}.${createHash("sha256").update(userId, "utf8").digest("hex")}${SUFFIX}`;
}

export function progressFilePath(dir: string, userId: string): string {
  return join(dir, progressFileName(userId));
}
