import type { MigrationStatusReport } from "../migration-status/migration-status-report.js";
import { migrationStatusText } from "../migration-status/migration-status-report.js";
import { plural } from "../shared/report-output.js";

export interface KeptFile {
  readonly file: string;
  readonly reason: string;
}

export interface RetireReport {
  readonly dir: string;
  readonly archive: string;
  readonly dry_run: boolean;
  /** The migration status checked inside this run: nothing is touched unless it is ready. */
  readonly status: MigrationStatusReport;
  /** Why nothing was touched, when it was not (not ready, or an archive of other files by that name). */
  readonly refused: string | null;
  /** An archive of this name was there already, checked, and the removal of its files finished. */
  readonly resumed: boolean;
  readonly archived_files: number;
  readonly archived_bytes: number;
  readonly removed: number;
  /** Files of the archive that were gone already (a run before this one removed them). */
  readonly already_gone: number;
  /** Files that changed after they were archived: left in place. */
  readonly kept: readonly KeptFile[];
  /** Every archived file is gone from the folder, and the archive holds each as it was. */
  readonly complete: boolean;
}

export function retireReportText(report: RetireReport): string[] {
  if (report.refused !== null) return [...migrationStatusText(report.status), `retire-files: nothing touched: ${report.refused}`];
  if (report.dry_run) {
    const action = report.resumed ? `would finish removing the files of the existing archive ${report.archive}` : `would archive into ${report.archive} and remove`;
    return [`retire-files ${report.dir} (dry run: nothing written): ready; ${action} ${plural(report.archived_files, "progress file")} (${report.archived_bytes} bytes)`];
  }
  const lines = [
    `retire-files ${report.dir} → ${report.archive}${report.resumed ? " (archive found and checked: finishing its removal)" : ""}`,
    `  archived and checked: ${plural(report.archived_files, "file")} (${report.archived_bytes} bytes); removed ${report.removed}; already gone ${report.already_gone}`,
  ];
  for (const kept of report.kept) lines.push(`  kept ${kept.file}: ${kept.reason}`);
  lines.push(
    report.complete
      ? `Summary: the progress files are retired; restore-files --archive ${report.archive} brings them back. Run the servers with STORAGE_MODE=database.`
      : `Summary: ${plural(report.kept.length, "file")} left in place (changed after archiving; are servers still writing files? switch them to STORAGE_MODE=database, then run migration-status again)`,
  );
  return lines;
}
