import type { StorageMode } from "../../config/config.js";
import { plural } from "../shared/report-output.js";

export type BlockerKind = "storage_mode" | "pending_migrations" | "files_not_imported" | "files_drifted" | "unreadable_files" | "name_collisions";

export interface BlockerExample {
  readonly file: string | null;
  readonly user_id: string | null;
  readonly detail: string;
}

/** One reason the files may not be retired yet: how many, a few named, and what fixes it. */
export interface Blocker {
  readonly kind: BlockerKind;
  readonly count: number;
  readonly examples: readonly BlockerExample[];
  readonly fix: string;
}

export interface MigrationStatusReport {
  readonly mode: StorageMode;
  readonly dir: string;
  readonly schema: { readonly version: number; readonly pending_migrations: readonly { version: number; name: string }[] };
  readonly sessions: number;
  readonly progress_files: number;
  /** Sessions with no file of their own: the database holds them, so they block nothing. */
  readonly sessions_without_file: number;
  /** Users whose file name another user's file holds (the first owner kept it): their data is in the database alone. */
  readonly shared_file_names: readonly BlockerExample[];
  /** Every kind, each with its count (0 when clear), in the order they are best fixed. */
  readonly blockers: readonly Blocker[];
  readonly ready_to_retire_files: boolean;
}

const TITLES: Record<BlockerKind, string> = {
  storage_mode: "storage mode keeps the data in the files",
  pending_migrations: "pending schema migrations",
  files_not_imported: "files not yet imported",
  files_drifted: "files that differ from the database",
  unreadable_files: "unreadable files",
  name_collisions: "name collisions",
};

export function migrationStatusText(report: MigrationStatusReport): string[] {
  const pending = report.schema.pending_migrations.length;
  const lines = [
    `migration-status ${report.dir}`,
    `  mode: ${report.mode}`,
    `  schema version: ${report.schema.version}${pending > 0 ? ` (${plural(pending, "pending migration")})` : " (up to date)"}`,
    `  sessions: ${report.sessions} (${report.sessions_without_file} without a progress file: the database holds them)`,
    `  progress files: ${report.progress_files}`,
  ];
  if (report.shared_file_names.length > 0) {
    lines.push(`  ${plural(report.shared_file_names.length, "user")} whose file name another user's file holds (their data is in the database alone; not a blocker)`);
  }
  const blocking = report.blockers.filter((blocker) => blocker.count > 0);
  if (blocking.length === 0) lines.push("Ready to retire the files: nothing blocks it (retire-files --archive <file>).");
  else lines.push(`Not ready to retire the files: ${plural(blocking.length, "blocker")}`);
  for (const blocker of blocking) {
    lines.push(`  ${TITLES[blocker.kind]}: ${blocker.count}`);
    for (const example of blocker.examples) lines.push(`    ${[example.file, example.user_id].filter((part) => part !== null).join(" → ")}: ${example.detail}`);
    if (blocker.count > blocker.examples.length) lines.push(`    … and ${blocker.count - blocker.examples.length} more`);
    lines.push(`    fix: ${blocker.fix}`);
  }
  return lines;
}
