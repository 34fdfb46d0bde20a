import { LEGACY_KEY_VERSION } from "../../crypto/key-version.js";
import { plural } from "../shared/report-output.js";

/** A key that opens with no configured key: who and where, never the key. */
export interface KeyFailure {
  readonly store: "database" | "file";
  /** The progress file's name, for a key in a file. */
  readonly file: string | null;
  readonly user_id: string | null;
  readonly provider: string | null;
  readonly key_version: number | null;
  readonly reason: string;
}

export interface DatabaseRotation {
  readonly resealed: number;
  /** Rows on the current key version when the run started (a re-run counts the killed run's work here). */
  readonly already_current: number;
  /** Rows a save replaced while their batch was being sealed: the save sealed them with the current key. */
  readonly changed_meanwhile: number;
  readonly failed: number;
  readonly batches: number;
}

export interface FileRotation {
  readonly dir: string;
  readonly files: number;
  readonly files_rewritten: number;
  readonly resealed: number;
  readonly already_current: number;
  readonly failed: number;
  /** Files that mention sealed keys but are not valid JSON: left as they are (see reconcile). */
  readonly unreadable_files: readonly string[];
}

export interface RotationReport {
  /** The version new seals get (ENCRYPTION_KEY's), and the other versions read (ENCRYPTION_KEY_PREVIOUS's). */
  readonly key_version: number;
  readonly previous_key_versions: readonly number[];
  readonly database: DatabaseRotation;
  /** null in `database` mode, which keeps no progress files. */
  readonly progress_files: FileRotation | null;
  readonly failures: readonly KeyFailure[];
  /** Failures beyond the ones listed (a wrong ENCRYPTION_KEY_PREVIOUS fails every key). */
  readonly failures_not_listed: number;
  /** True when every stored key is on `key_version`: ENCRYPTION_KEY_PREVIOUS can go. */
  readonly complete: boolean;
}

export const MAX_LISTED_FAILURES = 100;

export function rotationExitCode(report: RotationReport): number {
  return report.complete ? 0 : 1;
}

export function rotationReportText(report: RotationReport): string[] {
  const { database, progress_files: files } = report;
  const previous = report.previous_key_versions.length === 0 ? "none" : report.previous_key_versions.join(", ");
  const lines = [
    `Re-sealing API keys with ENCRYPTION_KEY (key version ${report.key_version}); also read: ENCRYPTION_KEY_PREVIOUS (${previous}) and legacy version ${LEGACY_KEY_VERSION}`,
    "Database (api_keys)",
    `  re-sealed        ${database.resealed} in ${plural(database.batches, "batch", "batches")}`,
    `  already current  ${database.already_current}`,
    `  failed           ${database.failed}`,
  ];
  if (database.changed_meanwhile > 0) lines.push(`  replaced by a save meanwhile (already current) ${database.changed_meanwhile}`);
  if (files === null) lines.push("Progress files: none (STORAGE_MODE=database)");
  else {
    lines.push(
      `Progress files (${files.dir}): ${plural(files.files, "file")}, ${files.files_rewritten} rewritten`,
      `  re-sealed        ${files.resealed}`,
      `  already current  ${files.already_current}`,
      `  failed           ${files.failed}`,
    );
    for (const name of files.unreadable_files) lines.push(`  not valid JSON, its keys left as they are: ${name}`);
  }
  if (report.failures.length > 0) lines.push("Not re-sealed (left as they are)");
  for (const failure of report.failures) lines.push(`  ${failureText(failure)}`);
  if (report.failures_not_listed > 0) lines.push(`  … and ${report.failures_not_listed} more (--json lists the first ${MAX_LISTED_FAILURES} too)`);
  lines.push(
    report.complete
      ? "Every stored key is on the current key version: ENCRYPTION_KEY_PREVIOUS can be removed."
      : "Some keys are not on the current key version: keep ENCRYPTION_KEY_PREVIOUS, fix what is listed, and run again.",
  );
  return lines;
}

function failureText(failure: KeyFailure): string {
  const where = failure.store === "database" ? "database" : `file ${failure.file ?? ""}`;
  const who = [
    failure.user_id === null ? null : `user ${JSON.stringify(failure.user_id)}`,
    failure.provider === null ? null : `provider ${failure.provider}`,
    failure.key_version === null ? null : `key version ${failure.key_version}`,
  ].filter((part) => part !== null);
  return `${[where, ...(who.length === 0 ? [] : [who.join(", ")]), failure.reason].join(": ")}`;
}
