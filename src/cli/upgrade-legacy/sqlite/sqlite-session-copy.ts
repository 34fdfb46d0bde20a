import { SESSION_PLAN } from "../legacy/legacy-table-plan.js";
import type { SessionMerge } from "../legacy-upgrader.js";
import { quoted } from "../shared/quoted.js";
import { execute, type UpgradeExecutor } from "../shared/raw-sql.js";
import { mergeSessionFields, MERGE_TABLE, readMerges } from "../shared/session-merges.js";
import type { ChildCopyOptions } from "./sqlite-child-copy.js";
import { copiedExpression, fresh, newestFirst } from "./sqlite-column-sql.js";

export interface SessionCopy {
  readonly merges: readonly SessionMerge[];
  /** Whether child rows must be redirected through MERGE_TABLE to their survivor. */
  readonly hasMerges: boolean;
}

const TARGET = fresh("onboarding_sessions");

/**
 * Copies the sessions with integer user ids as their decimal text. Our UNIQUE(user_id) finds the
 * duplicates while copying: OR IGNORE in id order lets the oldest session of each user take the
 * row and skips the rest, so clean data (every user id once) costs one pass and no grouping pass
 * over the table. Only when rows were skipped are the merges worked out (each skipped session
 * found beside its survivor through our user_id index) into MERGE_TABLE, which the caller
 * created, and the copy redone without them so the fill counts cover kept rows only.
 */
export async function copySessions(
  db: UpgradeExecutor,
  options: Pick<ChildCopyOptions, "now" | "tallies"> & { readonly legacyRows: number },
): Promise<SessionCopy> {
  const tallies = options.tallies.counted();
  const copied = await execute(db, insertSql(options.now, "or ignore", ""));
  if (copied === options.legacyRows) return { merges: [], hasMerges: false };

  // A skipped session names the survivor that holds its user id; nothing else may have been skipped.
  const merged = await execute(
    db,
    `insert into ${MERGE_TABLE} (legacy_id, survivor_id)
     select c.id, n.id from onboarding_sessions c join ${quoted(TARGET)} n on n.user_id = cast(c.user_id as text)
     where n.id <> c.id`,
  );
  if (copied + merged !== options.legacyRows) {
    throw new Error(`${options.legacyRows - copied - merged} session(s) could not be copied and are no duplicate of another user id`);
  }
  await execute(db, `delete from ${quoted(TARGET)}`);
  options.tallies.restore(SESSION_PLAN.table, tallies);
  await execute(db, insertSql(options.now, "", `where not exists (select 1 from ${MERGE_TABLE} m where m.legacy_id = c.id)`));
  await mergeSessionFields(db, TARGET, newestFirst);
  return { merges: await readMerges(db), hasMerges: true };
}

function insertSql(now: string, conflict: string, where: string): string {
  const columns = SESSION_PLAN.copied.map((column) => column.name);
  // Ordered by id (the rowid: no sort) so that OR IGNORE keeps the oldest session of a user.
  return `insert ${conflict} into ${quoted(TARGET)} (id, user_id, ${columns.map(quoted).join(", ")})
    select c.id, cast(c.user_id as text), ${SESSION_PLAN.copied.map((column) => copiedExpression(SESSION_PLAN.table, column, now)).join(", ")}
    from onboarding_sessions c ${where} order by c.id`;
}
