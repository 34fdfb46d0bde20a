import type SqliteDatabase from "better-sqlite3";
import { execute, type UpgradeExecutor } from "../shared/raw-sql.js";
import { stepStatesInsertSql } from "../shared/step-state-sql.js";
import type { ChildCopy, ChildCopyOptions } from "./sqlite-child-copy.js";
import { fresh } from "./sqlite-column-sql.js";
import type { SessionIdSet } from "./sqlite-prescan.js";

const HOLDS_KEY_FUNCTION = "upgrade_session_holds_key";

export interface StepStatesAndKeys {
  readonly created: number;
  readonly keys: ChildCopy;
}

/**
 * Writes step_states (STEP_STATE_RULE) before the keys go in, to give the worker that seals them
 * more time (sqlite-keys.ts). Whether a session holds a key comes from the prescan's set of
 * the sessions that api_keys names, valid while no session was merged into another; otherwise
 * the step 1 rows that a key decides are written after the keys, in a second pass.
 */
export async function insertStepStatesBeforeKeys(
  db: UpgradeExecutor,
  options: Pick<ChildCopyOptions, "connection" | "hasMerges">,
  sessionsWithKeys: SessionIdSet | undefined,
  insertKeys: () => Promise<ChildCopy>,
): Promise<StepStatesAndKeys> {
  if (sessionsWithKeys !== undefined && !options.hasMerges) {
    holdsKeyFunction(options.connection, sessionsWithKeys);
    const created = await execute(db, stepStatesInsertSql(fresh, "all", { holdsKey: `${HOLDS_KEY_FUNCTION}(s.id)` }));
    return { created, keys: await insertKeys() };
  }
  const created = await execute(db, stepStatesInsertSql(fresh, "not-decided-by-keys"));
  const keys = await insertKeys();
  return { created: created + (await execute(db, stepStatesInsertSql(fresh, "decided-by-keys"))), keys };
}

function holdsKeyFunction(connection: SqliteDatabase.Database, sessionsWithKeys: SessionIdSet): void {
  connection.function(HOLDS_KEY_FUNCTION, { deterministic: true }, (id) => (sessionsWithKeys.has(Number(id)) ? 1 : 0));
}
