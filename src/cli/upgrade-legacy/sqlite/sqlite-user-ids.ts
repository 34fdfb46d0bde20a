import { isUtf8 } from "node:buffer";
import type SqliteDatabase from "better-sqlite3";
import { userIdProblem } from "../../../auth/user-id.js";
import type { RebuildOutcome } from "../legacy-upgrader.js";
import { query, type UpgradeExecutor } from "../shared/raw-sql.js";

/** What one pass over the legacy sessions found in their user ids (the prescan takes it beside the backup). */
export interface UserIdSummary {
  readonly integers: number;
  /** Ids that SQL cannot vouch for: the wrong type or length, a control or NUL character, beyond ASCII. */
  readonly suspects: number;
  readonly total: number;
}

// SQL picks the suspects (wrong type or length, a control or NUL character, anything beyond ASCII,
// where bytes that are not UTF-8 hide); userIdProblem words the reason.
const CONTROL = `'*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*'`;
const SUSPECT = `typeof(user_id) not in ('integer', 'real')
  and (typeof(user_id) <> 'text' or length(user_id) not between 1 and 255 or user_id glob ${CONTROL} or instr(user_id, char(0)) > 0
       or user_id glob '*[^ -~]*')`;

/**
 * The result columns, in UserIdSummary's order, of one pass over onboarding_sessions. The CASE
 * skips the suspect test for numbers, most ids of a legacy file (SUM of the bare test does not).
 */
export const USER_ID_SUMMARY_COLUMNS = [
  "sum(typeof(user_id) = 'integer')",
  `sum(case when typeof(user_id) in ('integer', 'real') then 0 when ${SUSPECT} then 1 else 0 end)`,
  "count(*)",
] as const;

const USER_ID_PROBLEM_FUNCTION = "upgrade_user_id_problem";

/**
 * Only when the summary counted suspects does a query ask userIdProblem (JS) about them, so clean
 * data never calls back into JS. Throws, naming up to five sessions, when a user id cannot become
 * ours. `connection` is the one `db` runs on.
 */
export async function checkUserIds(
  db: UpgradeExecutor,
  connection: SqliteDatabase.Database,
  summary: UserIdSummary,
): Promise<RebuildOutcome["userIds"]> {
  if (summary.suspects > 0) await refuseInvalidUserIds(db, connection);
  return { convertedFromIntegers: summary.integers, keptAsText: summary.total - summary.integers };
}

async function refuseInvalidUserIds(db: UpgradeExecutor, connection: SqliteDatabase.Database): Promise<void> {
  registerUserIdProblem(connection);
  const bad = await query<{ id: number; problem: string }>(
    db,
    `select id, problem from (
       select id, ${USER_ID_PROBLEM_FUNCTION}(user_id, cast(user_id as blob)) as problem from onboarding_sessions where ${SUSPECT}
     ) where problem is not null order by id limit 5`,
  );
  if (bad.length > 0) {
    const list = bad.map((row) => `session ${row.id}: user_id ${row.problem}`).join("; ");
    throw new Error(`some legacy user ids cannot become user ids (fix or delete these sessions first): ${list}`);
  }
}

/** userIdProblem as an SQL function of the value and its bytes: text reaches JS decoded, with bytes that are not UTF-8 already replaced. */
function registerUserIdProblem(connection: SqliteDatabase.Database): void {
  const textIsUtf8 = connection.pragma("encoding", { simple: true }) === "UTF-8";
  connection.function(USER_ID_PROBLEM_FUNCTION, { deterministic: true }, (value, bytes) => {
    if (typeof value === "number" || typeof value === "bigint") return null;
    if (typeof value !== "string") return "is not text or a number";
    if (textIsUtf8 && bytes instanceof Uint8Array && !isUtf8(bytes)) return "is not valid UTF-8";
    return userIdProblem(value) ?? null;
  });
}
