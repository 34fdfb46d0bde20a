import type { Counts, SessionMerge, UpgradeExecutor } from "../legacy-upgrader.js";
import { CHILD_PLANS, CHILD_TABLES, LEGACY_TABLES } from "../legacy/legacy-table-plan.js";
import { countOf, execute, query, quoted } from "./raw-sql.js";

/** Steps whose SQL reads the same on SQLite and PostgreSQL. */

/** Legacy session id → the oldest session id of the same user, for every session that is merged away. */
export const MERGE_TABLE = "upgrade_merge";

export const STEP_STATE_RULE =
  "steps below the legacy current_step are completed (completed_at = the session's updated_at); " +
  "steps at or after it that hold data (1 api_keys, 2 website_analyses, 3 research_preferences, 4 persona_data) " +
  "are in_progress; every other step stays pending; step 6 is only ever completed by POST /complete";

/** Which table holds each step's data, for the step-state rule. */
const STEP_DATA_TABLES = ["api_keys", "website_analyses", "research_preferences", "persona_data"] as const;

/** A concurrent writer between the backup and the upgrade would leave rows that are in no backup. */
export function assertUnchangedSinceBackup(now: Counts, backup: Counts): void {
  for (const table of LEGACY_TABLES) {
    if (now[table] !== backup[table]) {
      throw new Error(
        `${table} has ${now[table]} rows but the backup has ${backup[table]}: something wrote to the database ` +
          "during the backup; stop the service and run upgrade-legacy again",
      );
    }
  }
}

/** Integer ids become their decimal text, so 42 and '42' are the same user and their sessions merge. */
export async function createMergeTable(db: UpgradeExecutor): Promise<void> {
  await execute(db, `create temp table ${MERGE_TABLE} (legacy_id integer primary key, survivor_id integer not null)`);
  await execute(
    db,
    `insert into ${MERGE_TABLE} (legacy_id, survivor_id)
     select id, survivor_id from (
       select id, min(id) over (partition by cast(user_id as text)) as survivor_id from onboarding_sessions
     ) as grouped where id <> survivor_id`,
  );
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

export function isOrphan(alias: string): string {
  return `(${alias}.session_id is null or not exists (select 1 from onboarding_sessions s where s.id = ${alias}.session_id))`;
}

export async function countOrphans(db: UpgradeExecutor): Promise<Record<string, number>> {
  const orphans: Record<string, number> = {};
  for (const table of CHILD_TABLES) {
    orphans[table] = await countOf(db, `select count(*) as n from ${quoted(table)} c where ${isOrphan("c")}`);
  }
  return orphans;
}

/** Non-null values of legacy columns our schema lacks, over every legacy row: all of them stay in the backup only. */
export async function countDroppedValues(db: UpgradeExecutor): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of CHILD_TABLES) {
    const dropped = CHILD_PLANS[table].dropped;
    if (dropped.length === 0) continue;
    const [row] = await query<Record<string, number | string>>(
      db,
      `select ${dropped.map((column, index) => `count(${quoted(column)}) as c${index}`).join(", ")} from ${quoted(table)}`,
    );
    dropped.forEach((column, index) => (counts[`${table}.${column}`] = Number(row?.[`c${index}`] ?? 0)));
  }
  return counts;
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

/** Derives step_states from the legacy current_step and the data each step holds (STEP_STATE_RULE). */
export async function insertStepStates(db: UpgradeExecutor, nameOf: (table: string) => string): Promise<number> {
  return execute(db, stepStatesInsertSql(nameOf, "all"));
}

/**
 * Which rows of STEP_STATE_RULE one INSERT writes. When SQLite cannot tell from its prescan which
 * sessions hold a key (sessions were merged), it writes the rule in two parts that together make
 * "all": the rows that do not depend on api_keys while the keys are still being sealed, then the
 * step 1 rows that only a key decides once the last key is in.
 */
export type StepStatePart = "all" | "not-decided-by-keys" | "decided-by-keys";

export interface StepStateSqlOptions {
  /** Whether session `s` holds a key, when something other than our api_keys table knows it (SQL). */
  readonly holdsKey?: string;
}

/** The INSERT … SELECT of one part of STEP_STATE_RULE. */
export function stepStatesInsertSql(nameOf: (table: string) => string, part: StepStatePart, options: StepStateSqlOptions = {}): string {
  const { holdsKey } = options;
  const steps = [1, 2, 3, 4, 5].map((step) => `select ${step} as step`).join(" union all ");
  const holds = (table: (typeof STEP_DATA_TABLES)[number]) =>
    table === "api_keys" && holdsKey !== undefined ? holdsKey : `exists (select 1 from ${quoted(nameOf(table))} d where d.session_id = s.id)`;
  const hasData = (tables: readonly (typeof STEP_DATA_TABLES)[number][]) =>
    tables.map((table) => `(n.step = ${STEP_DATA_TABLES.indexOf(table) + 1} and ${holds(table)})`);
  const reached = "n.step < s.current_step";
  const rule = {
    all: [reached, ...hasData(STEP_DATA_TABLES)].join(" or "),
    "not-decided-by-keys": [reached, ...hasData(STEP_DATA_TABLES.filter((table) => table !== "api_keys"))].join(" or "),
    "decided-by-keys": `not (${reached}) and ${hasData(["api_keys"]).join("")}`,
  }[part];
  return `insert into ${quoted(nameOf("step_states"))} (session_id, step_number, status, completed_at, validation_errors, updated_at)
     select s.id, n.step,
            case when ${reached} then 'completed' else 'in_progress' end,
            case when ${reached} then s.updated_at end,
            '[]', s.updated_at
     from ${quoted(nameOf("onboarding_sessions"))} s cross join (${steps}) as n
     where ${rule}`;
}
