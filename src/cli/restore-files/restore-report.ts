import { plural } from "../shared/report-output.js";

export interface RestoreReport {
  readonly archive: string;
  readonly dir: string;
  /** Why nothing was written: the archive is damaged or not one of retire-files. */
  readonly refused: string | null;
  readonly files: number;
  readonly restored: number;
  /** Already there with the archived bytes: a run before this one put them back. */
  readonly already_in_place: number;
  /** A different file is there (written after the archive): kept, not overwritten. */
  readonly kept_newer: readonly string[];
}

export function restoreReportText(report: RestoreReport): string[] {
  if (report.refused !== null) return [`restore-files ${report.archive}: nothing written: ${report.refused}`];
  const lines = [
    `restore-files ${report.archive} → ${report.dir}: ${plural(report.files, "file")} in the archive`,
    `  restored ${report.restored}; already in place ${report.already_in_place}; kept (a different, newer file is there) ${report.kept_newer.length}`,
  ];
  for (const file of report.kept_newer) lines.push(`  kept ${file}: not overwritten; the archive holds an older copy`);
  return lines;
}
