import type SqliteDatabase from "better-sqlite3";
import type { Counts } from "./legacy-upgrader.js";
import { CHILD_PLANS, CHILD_TABLES, type ChildTableName } from "./legacy-table-plan.js";
import { quoted } from "./raw-sql.js";
import { USER_ID_SUMMARY_COLUMNS, type UserIdSummary } from "./sqlite-user-ids.js";

/**
 * What one read-only pass over each legacy table finds: the checks and counts that the upgrade
 * needs before it copies. It runs while a worker thread takes the backup, so these passes cost
 * the upgrade little wall time instead of running inside its transaction.
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

/**
 * Runs the pass on `connection`, inside the caller's read transaction: the snapshot the backup
 * copies. Synchronous: the upgrade runs it while a worker thread takes the backup.
 */
export function prescanLegacyTables(connection: SqliteDatabase.Database): LegacyPrescan {
  const plans = CHILD_TABLES.map(childQuery);
  const [integers = 0, suspects = 0, total = 0] = firstRow(connection, sessionQuery());
  const rowCounts: Record<string, number> = { onboarding_sessions: total };
  const invalidJson: Record<string, number> = {};
  const droppedValues: Record<string, number> = {};
  for (const plan of plans) {
    const [count = 0, ...rest] = firstRow(connection, plan.sql);
    rowCounts[plan.table] = count;
    plan.json.forEach((column, at) => (invalidJson[`${plan.table}.${column}`] = rest[at] ?? 0));
    plan.dropped.forEach((column, at) => (droppedValues[`${plan.table}.${column}`] = rest[plan.json.length + at] ?? 0));
  }
  const sessionsWithKeys = collectSessionsWithKeys(connection);
  return { rowCounts, userIds: { integers, suspects, total }, invalidJson, droppedValues, ...(sessionsWithKeys ? { sessionsWithKeys } : {}) };
}

/** api_keys rows per page: each page's ids come back as one comma-joined text, much faster to take apart than rows. */
const KEYS_PER_PAGE = 100_000;

function collectSessionsWithKeys(connection: SqliteDatabase.Database): SessionIdSet | undefined {
  // Separate subqueries: SQLite reads min() or max() of a rowid from the b-tree's edge only when alone.
  const [low, high] = firstRow(connection, "select (select min(id) from onboarding_sessions), (select max(id) from onboarding_sessions)", false);
  if (low === undefined || high === undefined || low < 0 || high > SESSION_ID_BITS) return undefined;
  const bits = new Uint8Array((high >> 3) + 1);
  const page = connection
    .prepare<[bigint | number, number]>(
      `select max(id), group_concat(session_id) from (
         select id, session_id from api_keys where id > ? and typeof(session_id) = 'integer' and session_id between 0 and ?
         order by id limit ${KEYS_PER_PAGE})`,
    )
    .raw();
  for (let after: bigint | number = -(2n ** 63n); ; ) {
    const [last, ids] = (page.get(after, high) ?? []) as [number | null | undefined, string | null | undefined];
    if (last === null || last === undefined || typeof ids !== "string") break;
    setBits(bits, ids);
    after = last;
  }
  return { has: (id: number) => ((bits[id >> 3] ?? 0) & (1 << (id & 7))) !== 0 };
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

/** Sets the bit of each id in `ids` (digits and commas only), character by character: no strings per id. */
function setBits(bits: Uint8Array, ids: string): void {
  let id = 0;
  for (let at = 0; at <= ids.length; at += 1) {
    const code = at < ids.length ? ids.charCodeAt(at) : COMMA;
    if (code === COMMA) {
      bits[id >> 3] = (bits[id >> 3] ?? 0) | (1 << (id & 7));
      id = 0;
    } else {
      id = id * 10 + (code - ZERO);
    }
  }
}

const COMMA = 44;
const ZERO = 48;

/** The numbers of a query's one row. SUM over no rows (or over NULLs only) is NULL: none counted, unless `nullIsZero` is false. */
function firstRow(connection: SqliteDatabase.Database, sql: string, nullIsZero = true): (number | undefined)[] {
  const row = (connection.prepare(sql).raw().get() ?? []) as unknown[];
  return row.map((value) => (value === null || value === undefined ? (nullIsZero ? 0 : undefined) : Number(value)));
}
