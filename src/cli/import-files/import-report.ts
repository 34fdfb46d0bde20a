import { plural } from "../shared/report-output.js";
import type { DatabaseNewerStep } from "./merge-imported-record.js";
import type { UserIdSource } from "./read-progress-file.js";

export type FileOutcomeKind = "imported" | "unchanged" | "damaged" | "foreign" | "failed";

/** One progress file's fate; snake_case like every JSON the product prints. */
export interface FileOutcome {
  readonly file: string;
  readonly user_id: string | null;
  readonly user_id_source: UserIdSource | null;
  readonly outcome: FileOutcomeKind;
  readonly new_session: boolean;
  readonly steps_from_file: readonly number[];
  readonly database_newer: readonly DatabaseNewerStep[];
  readonly repairs: readonly string[];
  readonly keys_not_imported: readonly string[];
  /** Why a damaged, foreign or failed file was skipped. */
  readonly reason: string | null;
}

export interface ImportSummary {
  readonly files: number;
  readonly imported: number;
  readonly unchanged: number;
  readonly database_newer_steps: number;
  readonly damaged: number;
  readonly foreign: number;
  readonly failed: number;
  /** damaged + foreign + failed: files that left nothing in the database. */
  readonly skipped: number;
  readonly inferred_user_ids: number;
  readonly keys_not_imported: number;
}

export interface ImportReport {
  readonly dir: string;
  readonly dry_run: boolean;
  readonly summary: ImportSummary;
  readonly files: readonly FileOutcome[];
}

export function summarise(files: readonly FileOutcome[]): ImportSummary {
  const count = (kind: FileOutcomeKind) => files.filter((f) => f.outcome === kind).length;
  const damaged = count("damaged");
  const foreign = count("foreign");
  const failed = count("failed");
  return {
    files: files.length,
    imported: count("imported"),
    unchanged: count("unchanged"),
    database_newer_steps: files.reduce((sum, f) => sum + f.database_newer.length, 0),
    damaged,
    foreign,
    failed,
    skipped: damaged + foreign + failed,
    inferred_user_ids: files.filter((f) => f.user_id_source === "file_name").length,
    keys_not_imported: files.reduce((sum, f) => sum + f.keys_not_imported.length, 0),
  };
}

/** A file failed when any of it could not reach the database: skipped, or keys lost to masks. */
export function importExitCode(report: ImportReport): number {
  return report.summary.skipped > 0 || report.summary.keys_not_imported > 0 ? 1 : 0;
}

/** Unchanged files with nothing to say are only counted: a re-run of 100,000 files stays short. */
export function importReportText(report: ImportReport): string[] {
  const lines = [`import-files ${report.dir}${report.dry_run ? " (dry run: nothing written)" : ""}`];
  for (const file of report.files) if (isWorthALine(file)) lines.push(...fileLines(file, report.dry_run));
  lines.push(summaryLine(report.summary, report.dry_run));
  return lines;
}

function isWorthALine(file: FileOutcome): boolean {
  return file.outcome !== "unchanged" || file.database_newer.length > 0 || file.keys_not_imported.length > 0;
}

function fileLines(file: FileOutcome, dryRun: boolean): string[] {
  const label = (dryRun && file.outcome === "imported" ? "would import" : file.outcome).padEnd(12);
  if (file.user_id === null) return [`  ${label} ${file.file}: ${file.reason ?? "unreadable"}`];
  const details = [
    file.new_session ? "new session" : undefined,
    file.user_id_source === "file_name" ? "user id inferred from the file name" : undefined,
    file.steps_from_file.length > 0 ? `steps ${file.steps_from_file.join(", ")} from the file` : undefined,
  ].filter((detail) => detail !== undefined);
  const lines = [`  ${label} ${file.file} → ${file.user_id}${details.length > 0 ? ` (${details.join("; ")})` : ""}`];
  if (file.reason !== null) lines.push(`      reason: ${file.reason}`);
  for (const repair of file.repairs) lines.push(`      repaired: ${repair}`);
  for (const step of file.database_newer) {
    // The file is not newer (a tie included): the database, the commit point, is kept; reconcile reports the file.
    lines.push(`      database kept, the file is not newer: step ${step.step} (database ${step.database_updated_at}, file ${step.file_updated_at})`);
  }
  if (file.keys_not_imported.length > 0) {
    lines.push(`      keys not importable (masked in the file, absent from the database): ${file.keys_not_imported.join(", ")}`);
  }
  return lines;
}

function summaryLine(summary: ImportSummary, dryRun: boolean): string {
  const parts = [
    `${summary.imported} ${dryRun ? "would be imported" : "imported"}`,
    `${summary.unchanged} unchanged`,
    plural(summary.database_newer_steps, "database-newer step"),
    `${summary.damaged} damaged`,
    `${summary.foreign} foreign`,
    `${summary.failed} failed`,
    `${summary.skipped} skipped`,
  ];
  const notes = [
    summary.inferred_user_ids > 0 ? `${plural(summary.inferred_user_ids, "user id")} inferred from file names` : undefined,
    summary.keys_not_imported > 0 ? `${plural(summary.keys_not_imported, "key")} not importable` : undefined,
  ].filter((note) => note !== undefined);
  return `Summary: ${plural(summary.files, "file")}: ${parts.join(", ")}${notes.length > 0 ? `; ${notes.join("; ")}` : ""}`;
}
