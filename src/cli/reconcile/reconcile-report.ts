import { plural } from "../shared/report-output.js";

export type DriftKind =
  | "missing_file"
  | "missing_session"
  | "different"
  | "damaged_file"
  | "foreign_file"
  | "file_of_another_user"
  | "ambiguous_file";

export interface DriftItem {
  /** The user the drift is about; for a foreign file, the id it stores. */
  readonly user_id: string;
  readonly file: string;
  readonly kind: DriftKind;
  readonly step: number | "session" | null;
  readonly detail: string;
  /** Whether `--fix` can repair it: only by rewriting the file of a user who has a session. */
  readonly fixable: boolean;
}

export interface FixError {
  readonly user_id: string;
  readonly error: string;
}

export interface ReconcileReport {
  readonly dir: string;
  readonly fix: boolean;
  readonly users_checked: number;
  readonly files_checked: number;
  /** What differed before any fixing. */
  readonly drift: readonly DriftItem[];
  /** Users whose file `--fix` rewrote from the database. */
  readonly fixed: readonly string[];
  readonly fix_errors: readonly FixError[];
  /** What still differs (after fixing, when `--fix` was given). */
  readonly remaining: readonly DriftItem[];
  readonly in_sync: boolean;
}

const LABELS: Record<DriftKind, string> = {
  missing_file: "missing file",
  missing_session: "file without a session",
  different: "different",
  damaged_file: "damaged file",
  foreign_file: "foreign file",
  file_of_another_user: "file holds another user id",
  ambiguous_file: "file of more than one user",
};

export function reconcileReportText(report: ReconcileReport): string[] {
  const lines = [`reconcile ${report.dir}: ${plural(report.users_checked, "user")} in the database, ${plural(report.files_checked, "progress file")}`];
  lines.push(...driftLines(report.drift));
  if (report.fix) {
    lines.push(`Fixed: rewrote ${plural(report.fixed.length, "file")} from the database${report.fixed.length > 0 ? ` (${report.fixed.join(", ")})` : ""}`);
    for (const failure of report.fix_errors) lines.push(`  could not rewrite the file of ${failure.user_id}: ${failure.error}`);
    if (report.remaining.length > 0) lines.push("Still differing:", ...driftLines(report.remaining));
  }
  lines.push(summaryLine(report));
  return lines;
}

function driftLines(items: readonly DriftItem[]): string[] {
  return items.map((item) => {
    const step = item.step === null ? "" : item.step === "session" ? " (top-level fields)" : ` step ${item.step}`;
    return `  ${item.user_id} ${item.file}: ${LABELS[item.kind]}${step}: ${item.detail}`;
  });
}

function summaryLine(report: ReconcileReport): string {
  if (report.in_sync) return "Summary: in sync";
  const users = new Set(report.remaining.map((item) => item.user_id)).size;
  const unfixable = report.remaining.filter((item) => !item.fixable).length;
  const hint = report.fix ? "" : unfixable < report.remaining.length ? "; run with --fix to rewrite files from the database" : "";
  return `Summary: ${plural(report.remaining.length, "difference")} for ${plural(users, "user")}${hint}`;
}
