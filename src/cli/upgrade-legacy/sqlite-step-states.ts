import type SqliteDatabase from "better-sqlite3";
import type { UpgradeExecutor } from "./legacy-upgrader.js";
import { execute } from "./raw-sql.js";
import { stepStatesInsertSql, type StepStatePart, type StepStateSqlOptions } from "./shared-rebuild-steps.js";
import { idRanges, type ChildCopy, type ChildCopyOptions } from "./sqlite-child-copy.js";
import { fresh } from "./sqlite-column-sql.js";
import type { SessionIdSet } from "./sqlite-prescan.js";

const HOLDS_KEY_FUNCTION = "upgrade_session_holds_key";

export interface StepStatesBesideKeys {
  readonly created: number;
  readonly keys: ChildCopy;
}

/**
 * Writes step_states (STEP_STATE_RULE) while the keys are still being sealed on another thread:
 * they are usually not all in when the other tables are, and waiting for the last one left this
 * thread idle. The states go in chunks of sessions with `beforeChunk` (the key pipeline's pump)
 * between them. Whether a session holds a key comes from the prescan's set of the sessions that
 * api_keys names, valid while no session was merged into another; otherwise the step 1 rows that
 * a key decides are written after the last key, in a second pass.
 */
export async function insertStepStatesBesideKeys(
  db: UpgradeExecutor,
  options: Pick<ChildCopyOptions, "connection" | "beforeChunk" | "hasMerges">,
  sessionsWithKeys: SessionIdSet | undefined,
  finishKeys: () => Promise<ChildCopy>,
): Promise<StepStatesBesideKeys> {
  if (sessionsWithKeys !== undefined && !options.hasMerges) {
    options.connection.function(HOLDS_KEY_FUNCTION, { deterministic: true }, (id) => (sessionsWithKeys.has(Number(id)) ? 1 : 0));
    const created = await inChunks(db, options, "all", { holdsKey: `${HOLDS_KEY_FUNCTION}(s.id)` });
    return { created, keys: await finishKeys() };
  }
  const created = await inChunks(db, options, "not-decided-by-keys");
  const keys = await finishKeys();
  return { created: created + (await execute(db, stepStatesInsertSql(fresh, "decided-by-keys"))), keys };
}

async function inChunks(
  db: UpgradeExecutor,
  options: Pick<ChildCopyOptions, "connection" | "beforeChunk">,
  part: StepStatePart,
  sql: StepStateSqlOptions = {},
): Promise<number> {
  // Prepared once: each statement holds native memory until the garbage collector finalizes it.
  const insert: SqliteDatabase.Statement<[number, number]> = options.connection.prepare(
    stepStatesInsertSql(fresh, part, { ...sql, sessionFilter: "s.id > ? and s.id <= ?" }),
  );
  let created = 0;
  for (const [low, high] of await idRanges(db, fresh("onboarding_sessions"))) {
    await options.beforeChunk?.();
    created += insert.run(low, high).changes;
  }
  return created;
}
