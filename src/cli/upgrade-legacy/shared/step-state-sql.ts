import { quoted } from "./quoted.js";
import { execute, type UpgradeExecutor } from "./raw-sql.js";

/** How both databases derive step_states, which the old platform did not have, from what each session holds. */
export const STEP_STATE_RULE =
  "steps below the legacy current_step are completed (completed_at = the session's updated_at); " +
  "steps at or after it that hold data (1 api_keys, 2 website_analyses, 3 research_preferences, 4 persona_data) " +
  "are in_progress; every other step stays pending; step 6 is only ever completed by POST /complete";

/** Which table holds each step's data, for the step-state rule. */
const STEP_DATA_TABLES = ["api_keys", "website_analyses", "research_preferences", "persona_data"] as const;

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
