import type { SessionMerge } from "../legacy-upgrader.js";
import { quoted } from "./quoted.js";
import { execute, query, type UpgradeExecutor } from "./raw-sql.js";

/**
 * The sessions of one user merge into the oldest (the survivor). Both databases record each
 * merged-away session beside its survivor in MERGE_TABLE, and derive the survivor's fields and
 * the report from it the same way.
 */

/** Legacy session id → the oldest session id of the same user, for every session that is merged away. */
export const MERGE_TABLE = "upgrade_merge";

export async function createMergeTable(db: UpgradeExecutor): Promise<void> {
  await execute(db, `create temp table ${MERGE_TABLE} (legacy_id integer primary key, survivor_id integer not null)`);
}

export async function readMerges(db: UpgradeExecutor): Promise<SessionMerge[]> {
  const rows = await query<{ survivor: number; legacy_id: number; user_id: string }>(
    db,
    `select m.survivor_id as survivor, m.legacy_id as legacy_id, cast(s.user_id as text) as user_id
     from ${MERGE_TABLE} m join onboarding_sessions s on s.id = m.survivor_id
     order by m.survivor_id, m.legacy_id`,
  );
  const merges = new Map<number, { userId: string; sessions: number[]; survivor: number }>();
  for (const row of rows) {
    const survivor = Number(row.survivor);
    const merge = merges.get(survivor) ?? { userId: row.user_id, sessions: [survivor], survivor };
    merge.sessions.push(Number(row.legacy_id));
    merges.set(survivor, merge);
  }
  return [...merges.values()];
}

/**
 * A merged user keeps the furthest step and progress any of their sessions reached and the
 * latest update time; the started_at of the oldest (surviving) session stays.
 */
export async function mergeSessionFields(
  db: UpgradeExecutor,
  target: string,
  newestFirst: (alias: string) => string,
): Promise<void> {
  const group = (alias: string) =>
    `(${alias}.id = t.id or ${alias}.id in (select legacy_id from ${MERGE_TABLE} where survivor_id = t.id))`;
  await execute(
    db,
    `update ${quoted(target)} as t set
       current_step = (select max(coalesce(l.current_step, 1)) from onboarding_sessions l where ${group("l")}),
       progress = (select max(coalesce(l.progress, 0)) from onboarding_sessions l where ${group("l")}),
       updated_at = coalesce((select l.updated_at from onboarding_sessions l where ${group("l")}
                              order by ${newestFirst("l")} limit 1), t.updated_at)
     where t.id in (select survivor_id from ${MERGE_TABLE})`,
  );
}

/** A legacy child row (alias `alias`) whose session_id is NULL or names no legacy session. */
export function isOrphan(alias: string): string {
  return `(${alias}.session_id is null or not exists (select 1 from onboarding_sessions s where s.id = ${alias}.session_id))`;
}
