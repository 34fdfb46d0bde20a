import { plural } from "../shared/report-output.js";
import type { DeletionReport } from "./delete-user.js";

export function deletionReportText(report: DeletionReport): string[] {
  if (report.nothing_found && report.file.outcome !== "failed") {
    return [`Nothing to delete for user ${report.user_id}: no session in the database${fileNote(report)}`];
  }
  const lines = [`Deleted user ${report.user_id}`];
  for (const [table, count] of Object.entries(report.rows_deleted)) lines.push(`  ${table.padEnd(22)} ${plural(count, "row")}`);
  lines.push(`  progress file          ${fileLine(report.file)}`);
  return lines;
}

function fileNote(report: DeletionReport): string {
  return report.file.outcome === "absent" ? " and no progress file" : `; progress file: ${fileLine(report.file)}`;
}

function fileLine(file: DeletionReport["file"]): string {
  const where = file.path === null ? "" : ` ${file.path}`;
  switch (file.outcome) {
    case "deleted":
      return `deleted${where}`;
    case "absent":
      return `none${where}`;
    default:
      return `${file.outcome.replaceAll("_", " ")}${where}${file.detail === null ? "" : `: ${file.detail}`}`;
  }
}
