import type { UpgradeExecutor } from "./legacy-upgrader.js";
import type { TablePlan } from "./legacy-table-plan.js";
import { countOf, execute, quoted } from "./raw-sql.js";
import { isOrphan, MERGE_TABLE } from "./shared-rebuild-steps.js";
import { copiedExpression, fresh, newestFirst, targetSession } from "./sqlite-column-sql.js";
import { KEY_LAST4_FUNCTION, SEAL_KEY_FUNCTION, type RegisteredFunctions } from "./sqlite-functions.js";

export interface ChildCopy {
  readonly kept: number;
  readonly orphans: number;
  readonly superseded: number;
}

/**
 * Copies one child table into ours. Clean data (no session, after merging, with two rows)
 * takes one INSERT … SELECT without sorting; orphans are then simply the rows not copied. When
 * our unique constraint trips, the attempt is rolled back to a savepoint and the table copied
 * again keeping only the newest row per session (and provider).
 */
export async function copyChild(
  db: UpgradeExecutor,
  plan: TablePlan,
  legacyRows: number,
  options: { readonly now: string; readonly functions: RegisteredFunctions },
): Promise<ChildCopy> {
  const snapshot = options.functions.tallies();
  await execute(db, "savepoint upgrade_child");
  try {
    const kept = await execute(db, copySql(plan, options, false));
    await execute(db, "release upgrade_child");
    return { kept, orphans: legacyRows - kept, superseded: 0 };
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    await execute(db, "rollback to upgrade_child");
    await execute(db, "release upgrade_child");
    options.functions.restoreTallies(snapshot);
  }
  const kept = await execute(db, copySql(plan, options, true));
  const orphans = await countOf(db, `select count(*) as n from ${quoted(plan.table)} c where ${isOrphan("c")}`);
  return { kept, orphans, superseded: legacyRows - orphans - kept };
}

function copySql(plan: TablePlan, options: { now: string; functions: RegisteredFunctions }, newestOnly: boolean): string {
  const isKeys = plan.table === "api_keys";
  const columns = [...plan.copied.map((column) => column.name), ...(isKeys ? ["key_ciphertext", "key_last4", "key_version"] : [])];
  const values = [
    ...plan.copied.map((column) => copiedExpression(plan.table, column, options.now)),
    ...(isKeys
      ? [`${SEAL_KEY_FUNCTION}(c."key", s.user_id, c.provider)`, `${KEY_LAST4_FUNCTION}(c."key")`, String(options.functions.keyVersion)]
      : []),
  ];
  return `insert into ${quoted(fresh(plan.table))} (id, session_id, ${columns.map(quoted).join(", ")})
    select c.id, r.target, ${values.join(", ")}
    from (${newestOnly ? rankedRows(plan) : liveRows(plan)}) as r
    join ${quoted(plan.table)} c on c.id = r.id
    ${isKeys ? `join ${quoted(fresh("onboarding_sessions"))} s on s.id = r.target` : ""}
    ${newestOnly ? "where r.rank = 1" : ""}`;
}

/** Rows whose session exists, with the session they end up in. */
function liveRows(plan: TablePlan): string {
  return `select c.id as id, ${targetSession("c")} as target
    from ${quoted(plan.table)} c left join ${MERGE_TABLE} m on m.legacy_id = c.session_id
    where not ${isOrphan("c")}`;
}

function rankedRows(plan: TablePlan): string {
  const partition = [targetSession("c"), ...plan.keepNewestPer.map((column) => `c.${quoted(column)}`)].join(", ");
  return `select c.id as id, ${targetSession("c")} as target,
      row_number() over (partition by ${partition} order by ${newestFirst("c")}) as rank
    from ${quoted(plan.table)} c left join ${MERGE_TABLE} m on m.legacy_id = c.session_id
    where not ${isOrphan("c")}`;
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}
