import { DatabaseStore } from "../../storage/database-store.js";
import { ProgressFiles } from "../../storage/progress-files.js";
import type { FixError, ReconcileReport } from "./reconcile-report.js";
import { scanProgressFolder, type ScanOptions } from "./scan-progress-folder.js";

export interface ReconcileOptions extends ScanOptions {
  /** Rewrite the files of users who have a session from the database. */
  readonly fix: boolean;
}

/**
 * Lists the drift between the progress files and the database; with `fix`, rewrites each
 * drifting file that a session owns, then scans again, so that "in sync" is what is on disk.
 */
export async function reconcileProgressFiles(options: ReconcileOptions): Promise<ReconcileReport> {
  const before = await scanProgressFolder(options);
  const base = { dir: options.dir, fix: options.fix, users_checked: before.users, files_checked: before.files, drift: before.drift };
  if (!options.fix) return { ...base, fixed: [], fix_errors: [], remaining: before.drift, in_sync: before.drift.length === 0 };
  const { fixed, errors } = await rewriteFiles(options, [...new Set(before.drift.filter((item) => item.fixable).map((item) => item.user_id))]);
  const after = await scanProgressFolder(options);
  return { ...base, fixed, fix_errors: errors, remaining: after.drift, in_sync: after.drift.length === 0 };
}

async function rewriteFiles(options: ReconcileOptions, userIds: readonly string[]): Promise<{ fixed: string[]; errors: FixError[] }> {
  const store = new DatabaseStore(options.database, options.steps);
  // Always the `dual` form: a rewritten file is a rollback copy with masks, never a key store.
  const files = new ProgressFiles(options.dir, options.steps, "dual");
  const fixed: string[] = [];
  const errors: FixError[] = [];
  for (const userId of userIds) {
    try {
      const record = await store.read(userId);
      if (record === null) continue;
      await files.write(record);
      fixed.push(userId);
    } catch (error) {
      errors.push({ user_id: userId, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return { fixed, errors };
}
