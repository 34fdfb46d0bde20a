import type { RebuildOutcome, UpgradeExecutor } from "./legacy-upgrader.js";
import { query } from "./raw-sql.js";
import { USER_ID_PROBLEM_FUNCTION } from "./sqlite-functions.js";

// SQL picks the suspects (wrong type, length, a control or NUL character); userIdProblem words the reason.
const CONTROL = `'*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*'`;
const SUSPECT = `typeof(user_id) not in ('integer', 'real')
  and (typeof(user_id) <> 'text' or length(user_id) not between 1 and 255 or user_id glob ${CONTROL} or instr(user_id, char(0)) > 0)`;

/**
 * One pass over the sessions counts the integer user ids and the suspect ones; only when there
 * are suspects does a second query ask userIdProblem (JS) about them, so clean data never calls
 * back into JS. Throws, naming up to five sessions, when a user id cannot become ours.
 */
export async function checkUserIds(db: UpgradeExecutor): Promise<RebuildOutcome["userIds"]> {
  const [row] = await query<{ integers: number | null; suspects: number | null; total: number }>(
    db,
    // The CASE skips the suspect test for numbers, most ids of a legacy file (SUM of the bare test does not).
    `select sum(typeof(user_id) = 'integer') as integers,
            sum(case when typeof(user_id) in ('integer', 'real') then 0 when ${SUSPECT} then 1 else 0 end) as suspects,
            count(*) as total
     from onboarding_sessions`,
  );
  if (Number(row?.suspects ?? 0) > 0) await refuseInvalidUserIds(db);
  const integers = Number(row?.integers ?? 0);
  return { convertedFromIntegers: integers, keptAsText: Number(row?.total ?? 0) - integers };
}

async function refuseInvalidUserIds(db: UpgradeExecutor): Promise<void> {
  const bad = await query<{ id: number; problem: string }>(
    db,
    `select id, ${USER_ID_PROBLEM_FUNCTION}(user_id) as problem from onboarding_sessions
     where ${SUSPECT} and ${USER_ID_PROBLEM_FUNCTION}(user_id) is not null
     order by id limit 5`,
  );
  if (bad.length > 0) {
    const list = bad.map((row) => `session ${row.id}: user_id ${row.problem}`).join("; ");
    throw new Error(`some legacy user ids cannot become user ids (fix or delete these sessions first): ${list}`);
  }
}
