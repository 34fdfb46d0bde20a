import { join } from "node:path";

/** The old platform's rule: every character outside [A-Za-z0-9_-] becomes `_`. */
export function sanitizeUserId(userId: string): string {
  return userId.replace(/[^A-Za-z0-9_-]/g, "_");
}

export const PROGRESS_FILE_PATTERN = /^\.onboarding_progress_([A-Za-z0-9_-]*)\.json$/;

export function progressFileName(userId: string): string {
  return `.onboarding_progress_${sanitizeUserId(userId)}.json`;
}

export function progressFilePath(dir: string, userId: string): string {
  return join(dir, progressFileName(userId));
}
