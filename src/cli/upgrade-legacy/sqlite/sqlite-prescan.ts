import type SqliteDatabase from "better-sqlite3";
import { CHILD_TABLES } from "../legacy/legacy-table-plan.js";
import type { Counts } from "../legacy-upgrader.js";
import { quoted } from "../shared/quoted.js";
import { USER_ID_SUMMARY_COLUMNS, type UserIdSummary } from "./sqlite-user-ids.js";

/**
 * What the upgrade learns from the legacy tables while a worker thread takes the backup: their
 * row counts, the user ids, and which sessions hold keys. Light on purpose: the backup alone
 * takes about as long. The checks on values are heavier and wait for a free core
 * (sqlite-value-checks.ts).
 */
export interface LegacyPrescan {
  readonly rowCounts: Counts;
  readonly userIds: UserIdSummary;
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
  const [integers = 0, suspects = 0, total = 0] = firstRow(connection, sessionQuery());
  const rowCounts: Record<string, number> = { onboarding_sessions: total };
  for (const table of CHILD_TABLES) rowCounts[table] = firstRow(connection, `select count(*) from ${quoted(table)}`)[0] ?? 0;
  const sessionsWithKeys = collectSessionsWithKeys(connection);
  return { rowCounts, userIds: { integers, suspects, total }, ...(sessionsWithKeys ? { sessionsWithKeys } : {}) };
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
