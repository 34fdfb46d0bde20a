import type { StorageMode } from "../../config/config.js";
import { migrationState } from "../../db/migrator.js";
import type { DriftItem, DriftKind } from "../reconcile/reconcile-report.js";
import { scanProgressFolder, type FolderScan, type ScanOptions } from "../reconcile/scan-progress-folder.js";
import type { Blocker, BlockerExample, BlockerKind, MigrationStatusReport } from "./migration-status-report.js";

/** How many of each blocker the report names; the count says how many there are. */
const EXAMPLES = 5;

export interface MigrationStatusOptions extends ScanOptions {
  readonly mode: StorageMode;
}

export interface MigrationStatus {
  readonly report: MigrationStatusReport;
  /** The scan behind it: retire-files archives exactly the files it saw. */
  readonly scan: FolderScan;
}

/** Which blocker each kind of drift is; kinds not named here block nothing. */
const BLOCKER_OF: Partial<Record<DriftKind, BlockerKind>> = {
  missing_session: "files_not_imported",
  different: "files_drifted",
  damaged_file: "unreadable_files",
  foreign_file: "name_collisions",
  ambiguous_file: "name_collisions",
};

const FIXES: Record<BlockerKind, string> = {
  storage_mode:
    "STORAGE_MODE=file keeps the data in the files alone: set STORAGE_MODE=dual, run import-files and reconcile --fix, then switch the servers to STORAGE_MODE=database",
  pending_migrations: "run migrate",
  files_not_imported: "run import-files",
  files_drifted: "run reconcile --fix (it rewrites these files from the database)",
  unreadable_files:
    "move these files out of the folder (keep them somewhere safe), or repair them and run import-files; one whose user has a session, reconcile --fix rewrites from the database",
  name_collisions:
    "a file holding another user's id, or no id where several users share its name: move it out of the folder, or rename it to its own user's file name and run import-files",
};

/**
 * Whether the progress files may be retired, with every blocker named: one scan of the folder
 * (the reader import-files and reconcile use) and one look at the schema ledger. Never writes.
 */
export async function checkMigrationStatus(options: MigrationStatusOptions): Promise<MigrationStatus> {
  const schema = await migrationState(options.database);
  const scan = await scanProgressFolder(options);
  const grouped = new Map<BlockerKind, Map<string, BlockerExample>>();
  const add = (kind: BlockerKind, key: string, example: BlockerExample) => {
    const items = grouped.get(kind) ?? new Map<string, BlockerExample>();
    // Counted per file: a file differing in three steps is one file to fix.
    if (!items.has(key)) items.set(key, example);
    grouped.set(kind, items);
  };
  if (options.mode === "file") add("storage_mode", "mode", { file: null, user_id: null, detail: "STORAGE_MODE is file" });
  for (const migration of schema.pending) {
    add("pending_migrations", String(migration.version), { file: null, user_id: null, detail: `migration ${migration.version} ${migration.name} is not applied` });
  }
  for (const drift of scan.drift) {
    const kind = BLOCKER_OF[drift.kind];
    if (kind !== undefined) add(kind, drift.file, exampleOf(drift));
  }
  const blockers: Blocker[] = (Object.keys(FIXES) as BlockerKind[]).map((kind) => {
    const items = [...(grouped.get(kind)?.values() ?? [])];
    return { kind, count: items.length, examples: items.slice(0, EXAMPLES), fix: FIXES[kind] };
  });
  const report: MigrationStatusReport = {
    mode: options.mode,
    dir: options.dir,
    schema: { version: schema.currentVersion, pending_migrations: schema.pending },
    sessions: scan.users,
    progress_files: scan.files,
    sessions_without_file: scan.drift.filter((drift) => drift.kind === "missing_file").length,
    shared_file_names: scan.drift.filter((drift) => drift.kind === "file_of_another_user").map(exampleOf),
    blockers,
    ready_to_retire_files: blockers.every((blocker) => blocker.count === 0),
  };
  return { report, scan };
}

function exampleOf(drift: DriftItem): BlockerExample {
  const step = drift.step === null ? "" : drift.step === "session" ? "top-level fields: " : `step ${drift.step}: `;
  return { file: drift.file, user_id: drift.user_id === "(unknown)" ? null : drift.user_id, detail: `${step}${drift.detail}` };
}
