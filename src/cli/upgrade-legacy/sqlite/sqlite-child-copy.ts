import type SqliteDatabase from "better-sqlite3";
import type { TablePlan } from "../legacy/legacy-table-plan.js";
import { quoted } from "../shared/quoted.js";
import { countOf, execute, type UpgradeExecutor } from "../shared/raw-sql.js";
import { isOrphan, MERGE_TABLE } from "../shared/session-merges.js";
import { copiedExpression, fresh, newestFirst, targetSession } from "./sqlite-column-sql.js";
import { sealedKeyValues } from "./sqlite-key-functions.js";
import type { SqliteTallies, Tallies } from "./sqlite-tallies.js";
import { isUniqueViolation } from "./sqlite-unique-violation.js";

export interface ChildCopy {
  readonly kept: number;
  readonly orphans: number;
  readonly superseded: number;
}

export interface ChildCopyOptions {
  /** The transaction's own connection, on which the rebuild registers its SQL functions. */
  readonly connection: SqliteDatabase.Database;
  readonly now: string;
  /** TALLY_FUNCTION on `connection`. */
  readonly tallies: SqliteTallies;
  /** The cipher's current key version, stored beside each ciphertext that SEAL_KEY_FUNCTION makes. */
  readonly keyVersion: number;
  /** False when no session was merged: rows keep their session_id and skip the merge lookup. */
  readonly hasMerges: boolean;
  /** Where the legacy rows are read, when not from the table of their name (SQL: a qualified name). */
  readonly from?: string;
}

/**
 * Copies one child table into ours with one INSERT … SELECT, in rowid order without sorting.
 * Rows without a session_id stay behind (counted as orphans); rows whose session does not exist
 * are copied and left to the final foreign key check, which removes and counts them
 * (sqlite-foreign-key-check.ts). When our unique constraint trips (two rows for one session after
 * merging), what was copied is deleted and the table copied again keeping only the newest row per
 * session (and provider), orphans left out.
 */
export async function copyChild(db: UpgradeExecutor, plan: TablePlan, legacyRows: number, options: ChildCopyOptions): Promise<ChildCopy> {
  const snapshot = options.tallies.counted();
  try {
    const kept = await execute(db, childInsertSql(plan, { ...shapeOf(options), orphansToForeignKeyCheck: true }));
    return { kept, orphans: legacyRows - kept, superseded: 0 };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
  }
  return copyNewestOnly(db, plan, legacyRows, options, snapshot);
}

/** The slow path for data with duplicates: a window over the whole table picks the newest row. */
export async function copyNewestOnly(
  db: UpgradeExecutor,
  plan: TablePlan,
  legacyRows: number,
  options: ChildCopyOptions,
  snapshot: Tallies,
): Promise<ChildCopy> {
  await execute(db, `delete from ${quoted(fresh(plan.table))}`);
  options.tallies.restore(plan.table, snapshot);
  const partition = [targetSession("c"), ...plan.keepNewestPer.map((column) => `c.${quoted(column)}`)].join(", ");
  const from = options.from ?? quoted(plan.table);
  const ranked = `select c.id as id, row_number() over (partition by ${partition} order by ${newestFirst("c")}) as rank
    from ${from} c left join ${MERGE_TABLE} m on m.legacy_id = c.session_id
    where not ${isOrphan("c")}`;
  const kept = await execute(
    db,
    childInsertSql(plan, { ...shapeOf(options), hasMerges: true, only: `c.id in (select id from (${ranked}) where rank = 1)` }),
  );
  const orphans = await countOf(db, `select count(*) as n from ${from} c where ${isOrphan("c")}`);
  return { kept, orphans, superseded: legacyRows - orphans - kept };
}

export interface InsertShape {
  readonly now: string;
  readonly hasMerges: boolean;
  /** api_keys only: the SQL of the user id that each key is sealed for, read through keysJoin. */
  readonly keyUserId: string;
  /** api_keys only: the join of the key's session, given the SQL of the row's (surviving) session id. */
  readonly keysJoin: (session: string) => string;
  readonly keyVersion: number;
  /** Copy rows whose session does not exist too, for the foreign key check to find, instead of looking each up. */
  readonly orphansToForeignKeyCheck?: boolean;
  readonly only?: string;
  /** The legacy table (alias `c`), when not the one of the plan's name. */
  readonly from?: string;
}

/** One INSERT … SELECT of live rows (their session exists) into our table, in rowid order. */
export function childInsertSql(plan: TablePlan, shape: InsertShape): string {
  const isKeys = plan.table === "api_keys";
  const orphansCopied = shape.orphansToForeignKeyCheck === true;
  const target = shape.hasMerges ? targetSession("c") : "c.session_id";
  const values = [
    ...plan.copied.map((column) => copiedExpression(plan.table, column, shape.now, orphansCopied ? `not ${isOrphan("c")}` : undefined)),
    ...(isKeys ? [...sealedKeyValues(shape.keyUserId), String(Number(shape.keyVersion))] : []),
  ];
  const conditions = [
    orphansCopied ? "c.session_id is not null" : `not ${isOrphan("c")}`,
    ...(shape.only === undefined ? [] : [shape.only]),
  ];
  return `insert into ${quoted(fresh(plan.table))} (${insertedColumns(plan).map(quoted).join(", ")})
    select c.id, ${target}, ${values.join(", ")}
    from ${shape.from ?? quoted(plan.table)} c
    ${shape.hasMerges ? `left join ${MERGE_TABLE} m on m.legacy_id = c.session_id` : ""}
    ${isKeys ? shape.keysJoin(target) : ""}
    where ${conditions.join(" and ")}`;
}

/** Our table's columns that the copy fills, in the order its SELECT gives them. */
export function insertedColumns(plan: TablePlan): string[] {
  const keyColumns = plan.table === "api_keys" ? ["key_ciphertext", "key_last4", "key_version"] : [];
  return ["id", "session_id", ...plan.copied.map((column) => column.name), ...keyColumns];
}

/** Keys sealed row by row on this thread, by the SQL function, as the INSERT … SELECT reads them. */
function shapeOf(options: ChildCopyOptions): InsertShape {
  return {
    now: options.now,
    hasMerges: options.hasMerges,
    from: options.from,
    keyVersion: options.keyVersion,
    keyUserId: "s.user_id",
    keysJoin: (session) => `join ${quoted(fresh("onboarding_sessions"))} s on s.id = ${session}`,
  };
}
