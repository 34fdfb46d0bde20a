import { CHILD_TABLES } from "../legacy/legacy-table-plan.js";
import { quoted } from "../shared/quoted.js";
import { execute, query, type UpgradeExecutor } from "../shared/raw-sql.js";

/**
 * The foreign key check every rebuild ends with, which also finds the orphans: the child tables
 * are copied without looking each row's session up (that lookup cost a quarter of a second per
 * million rows), so a row whose session does not exist arrives here as a violation. Those rows
 * are deleted (they remain in the backup) and counted per table; the check then runs again and
 * must find nothing. Any other violation fails the upgrade.
 */
export async function removeOrphansFoundByForeignKeyCheck(db: UpgradeExecutor): Promise<Record<string, number>> {
  const tables = await violatingTables(db);
  const removed: Record<string, number> = {};
  if (tables.length === 0) return removed;
  const unexpected = tables.filter((table) => !(CHILD_TABLES as readonly string[]).includes(table));
  if (unexpected.length > 0) throw new Error(`foreign key violations after the rebuild, in ${unexpected.join(", ")}`);
  for (const table of tables) {
    removed[table] = await execute(
      db,
      `delete from ${quoted(table)} where not exists (select 1 from onboarding_sessions s where s.id = ${quoted(table)}.session_id)`,
    );
  }
  const left = await violatingTables(db);
  if (left.length > 0) throw new Error(`foreign key violations after the rebuild, in ${left.join(", ")}`);
  return removed;
}

async function violatingTables(db: UpgradeExecutor): Promise<string[]> {
  const violations = await query<{ table: string }>(db, "pragma foreign_key_check");
  return [...new Set(violations.map((violation) => violation.table))];
}
