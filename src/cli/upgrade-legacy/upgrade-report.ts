import type { MigrationReport } from "../../db/migrator.js";
import type { Counts, LegacyBackup, RebuildOutcome } from "./legacy-upgrader.js";
import { OUR_TABLES } from "./legacy/legacy-table-plan.js";

/** What `upgradeLegacy` reports: the command prints it as text (formatUpgradeReport) or, with `--json`, as JSON. */
export type UpgradeReport =
  | { readonly status: "up-to-date"; readonly migrations: MigrationReport }
  | {
      readonly status: "upgraded";
      readonly backup: LegacyBackup;
      readonly result: RebuildOutcome;
      readonly stepStateRule: string;
      readonly migrations: MigrationReport;
      /** Wall time of each phase, for operators planning the maintenance window. */
      readonly durationsMs: { readonly backup: number; readonly rebuild: number; readonly laterMigrations: number };
    };

/** The human form of an upgrade report; `--json` prints the same data as JSON. */
export function formatUpgradeReport(report: UpgradeReport, database: string): string {
  if (report.status === "up-to-date") {
    const upToDate = `${database}: already up to date (schema version ${report.migrations.currentVersion})`;
    return report.migrations.applied.length === 0 ? upToDate : `${upToDate}\n${formatMigrations(report.migrations)}`;
  }
  const { result } = report;
  return [
    `${database}: upgraded from the old platform's schema`,
    ...formatBackup(report.backup),
    "rows per table (before → after):",
    ...formatTableCounts(result),
    `user ids: ${result.userIds.convertedFromIntegers} integer ids converted to their decimal text, ${result.userIds.keptAsText} text ids kept`,
    `sessions merged: ${result.merges.length} user(s)`,
    ...result.merges.map(
      (merge) => `  user ${JSON.stringify(merge.userId)}: sessions ${merge.sessions.join(", ")} → survivor ${merge.survivor}`,
    ),
    `orphan rows left out (kept in the backup): ${formatCounts(result.orphans)}`,
    `older duplicates left out, newest wins (kept in the backup): ${formatCounts(result.superseded)}`,
    `api keys encrypted: ${result.keysEncrypted}; the plaintext column is gone`,
    `NULLs given a value because our column is NOT NULL: ${formatCounts(result.filled)}`,
    ...(report.backup.kind === "sqlite-file"
      ? [`non-JSON text kept as JSON strings: ${formatCounts(result.invalidJsonQuoted)}`]
      : []),
    `values in columns our schema lacks (kept in the backup only): ${formatCounts(result.droppedValues)}`,
    `step_states created: ${result.stepStatesCreated} (${report.stepStateRule})`,
    formatMigrations(report.migrations),
    `took: backup ${seconds(report.durationsMs.backup)} s, rebuild ${seconds(report.durationsMs.rebuild)} s, later migrations ${seconds(report.durationsMs.laterMigrations)} s`,
  ].join("\n");
}

export function formatBackup(backup: LegacyBackup): string[] {
  const what = backup.kind === "sqlite-file" ? `backup file (mode 0600): ${backup.location}` : `backup schema: ${backup.location}`;
  return [
    what,
    "  it holds the old plaintext API keys: once the upgrade is verified, remove it with:",
    `  ${backup.removeCommand}`,
  ];
}

function formatTableCounts(result: RebuildOutcome): string[] {
  const tables = [...new Set([...Object.keys(result.before), ...OUR_TABLES])];
  const width = Math.max(...tables.map((table) => table.length));
  return tables.map((table) => {
    const before = result.before[table] ?? "-";
    const after = result.after[table] ?? "-";
    return `  ${table.padEnd(width)}  ${String(before).padStart(9)} → ${after}`;
  });
}

/** Only the non-zero tallies, or "none". */
function formatCounts(counts: Counts): string {
  const entries = Object.entries(counts).filter(([, count]) => count > 0);
  return entries.length === 0 ? "none" : entries.map(([name, count]) => `${name} ${count}`).join(", ");
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(1);
}

function formatMigrations(report: MigrationReport): string {
  if (report.applied.length === 0) return `migrations: none pending (schema version ${report.currentVersion})`;
  const applied = report.applied.map((migration) => `${migration.version} ${migration.name}`).join(", ");
  return `migrations applied: ${applied}; schema version ${report.currentVersion}`;
}
