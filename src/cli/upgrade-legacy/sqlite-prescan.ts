import type { Counts } from "./legacy-upgrader.js";
import { CHILD_PLANS, CHILD_TABLES, type ChildTableName } from "./legacy-table-plan.js";
import { quoted } from "./raw-sql.js";
import { USER_ID_SUMMARY_COLUMNS, type UserIdSummary } from "./sqlite-user-ids.js";
import { queryOnWorkerThread, type RawRow } from "./sqlite-worker-query.js";

/**
 * What one read-only pass over each legacy table finds: the checks and counts that the upgrade
 * needs before it copies. It runs on a second thread while the main thread takes the backup
 * (which keeps that thread busy and leaves the second core idle), so these passes cost the
 * upgrade no wall time instead of running inside its transaction.
 */
export interface LegacyPrescan {
  readonly rowCounts: Counts;
  readonly userIds: UserIdSummary;
  /** `table.column` → values that are not JSON text; the copy checks only the columns where this is not 0. */
  readonly invalidJson: Counts;
  /** `table.column` → non-null values in columns our schema lacks (they stay in the backup). */
  readonly droppedValues: Counts;
  /**
   * The legacy session ids that some api_keys row names (before any merge), so that the step
   * states can be written before the last key is in; undefined when the ids are beyond SESSION_ID_BITS.
   */
  readonly sessionsWithKeys?: SessionIdSet;
}

export interface SessionIdSet {
  has(id: number): boolean;
}

/** Up to 2^26 session ids the set takes 8 MB at most; above, the rebuild waits for the keys instead. */
const SESSION_ID_BITS = 2 ** 26;

/** Starts the pass on a worker thread; its read transaction sees the database as it is when the worker opens it. */
export async function prescanLegacyTables(path: string): Promise<LegacyPrescan> {
  const plans = CHILD_TABLES.map(childQuery);
  const reads = await queryOnWorkerThread(path, [sessionQuery(), ...plans.map((plan) => plan.sql)], {
    // Separate subqueries: SQLite reads min() or max() of a rowid from the b-tree's edge only when alone.
    rangeSql: "select (select min(id) from onboarding_sessions), (select max(id) from onboarding_sessions)",
    pageSql: `select max(id), group_concat(session_id) from (
      select id, session_id from api_keys where id > ? and typeof(session_id) = 'integer' and session_id between 0 and ?
      order by id limit 100000)`,
    maxId: SESSION_ID_BITS,
  });
  const [sessions = [], ...children] = reads.rows;
  const [integers = 0, suspects = 0, total = 0] = numbers(sessions);
  const rowCounts: Record<string, number> = { onboarding_sessions: total };
  const invalidJson: Record<string, number> = {};
  const droppedValues: Record<string, number> = {};
  plans.forEach((plan, index) => {
    const [count = 0, ...rest] = numbers(children[index] ?? []);
    rowCounts[plan.table] = count;
    plan.json.forEach((column, at) => (invalidJson[`${plan.table}.${column}`] = rest[at] ?? 0));
    plan.dropped.forEach((column, at) => (droppedValues[`${plan.table}.${column}`] = rest[plan.json.length + at] ?? 0));
  });
  const bits = reads.idBits;
  const sessionsWithKeys = bits === undefined ? undefined : { has: (id: number) => ((bits[id >> 3] ?? 0) & (1 << (id & 7))) !== 0 };
  return { rowCounts, userIds: { integers, suspects, total }, invalidJson, droppedValues, ...(sessionsWithKeys ? { sessionsWithKeys } : {}) };
}

function sessionQuery(): string {
  return `select ${USER_ID_SUMMARY_COLUMNS.join(", ")} from onboarding_sessions`;
}

interface ChildQuery {
  readonly table: ChildTableName;
  readonly json: readonly string[];
  readonly dropped: readonly string[];
  readonly sql: string;
}

/** count(*), then per JSON column the values json_valid refuses (NULL is never one), then per dropped column its non-nulls. */
function childQuery(table: ChildTableName): ChildQuery {
  const plan = CHILD_PLANS[table];
  const json = plan.copied.filter((column) => column.kind === "json").map((column) => column.name);
  const columns = [
    "count(*)",
    ...json.map((column) => `sum(not json_valid(${quoted(column)}))`),
    ...plan.dropped.map((column) => `count(${quoted(column)})`),
  ];
  return { table, json, dropped: plan.dropped, sql: `select ${columns.join(", ")} from ${quoted(table)}` };
}

/** SUM over no rows (or over NULLs only) is NULL: none counted. */
function numbers(row: RawRow): number[] {
  return row.map((value) => Number(value ?? 0));
}
