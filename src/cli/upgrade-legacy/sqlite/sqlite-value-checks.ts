import type SqliteDatabase from "better-sqlite3";
import { CHILD_PLANS, CHILD_TABLES, type ChildTableName } from "../legacy/legacy-table-plan.js";
import type { Counts } from "../legacy-upgrader.js";
import { quoted } from "../shared/quoted.js";

/**
 * What the SQLite rebuild learns about legacy values that it copies as they are: per JSON column,
 * how many values are not JSON (the rebuild then quotes those in our table), and per column our
 * schema lacks, how many values it holds (they stay in the backup only). One pass over each table
 * of the backup, where it costs the upgrade's thread nothing: the key sealing thread runs it once
 * the keys are sealed.
 */
export interface LegacyValueChecks {
  /** `table.column` → values that are not JSON text (NULL is never one). */
  readonly invalidJson: Counts;
  /** `table.column` → non-null values in columns our schema lacks. */
  readonly droppedValues: Counts;
}

interface ValueCheckQuery {
  readonly table: ChildTableName;
  readonly json: readonly string[];
  readonly dropped: readonly string[];
  readonly sql: string;
}

/** Per JSON column the values json_valid refuses, then per dropped column its non-nulls: one row per table. */
const QUERIES: readonly ValueCheckQuery[] = CHILD_TABLES.map((table) => {
  const plan = CHILD_PLANS[table];
  const json = plan.copied.filter((column) => column.kind === "json").map((column) => column.name);
  const columns = [...json.map((column) => `sum(not json_valid(${quoted(column)}))`), ...plan.dropped.map((column) => `count(${quoted(column)})`)];
  return { table, json, dropped: plan.dropped, sql: `select ${columns.join(", ")} from ${quoted(table)}` };
}).filter((query) => query.json.length + query.dropped.length > 0);

/**
 * Runs the checks on the legacy tables that `connection` reads under their own names: the sealing
 * thread's, with the backup attached, or the upgrade's own without one. SUM over no rows (or NULLs
 * only) is NULL: none.
 */
export function runValueChecks(connection: SqliteDatabase.Database): LegacyValueChecks {
  const invalidJson: Record<string, number> = {};
  const droppedValues: Record<string, number> = {};
  for (const { table, json, dropped, sql } of QUERIES) {
    const row = (connection.prepare(sql).raw().get() ?? []) as unknown[];
    const count = (at: number) => Number(row[at] ?? 0);
    json.forEach((column, at) => (invalidJson[`${table}.${column}`] = count(at)));
    dropped.forEach((column, at) => (droppedValues[`${table}.${column}`] = count(json.length + at)));
  }
  return { invalidJson, droppedValues };
}
