import type { UpgradeExecutor } from "./legacy-upgrader.js";
import { execute } from "./raw-sql.js";
import { stepStatesInsertSql } from "./shared-rebuild-steps.js";
import { idRanges, type ChildCopyOptions } from "./sqlite-child-copy.js";
import { fresh } from "./sqlite-column-sql.js";

/**
 * The step states that no key decides, in chunks of sessions with `beforeChunk` (the key
 * pipeline's pump) between them: the keys are sealed on another thread and are usually not all
 * in when the other tables are. Writing these rows meanwhile, instead of waiting for the last key
 * first, keeps this thread busy while the sealing catches up.
 */
export async function insertStepStatesNotDecidedByKeys(
  db: UpgradeExecutor,
  options: Pick<ChildCopyOptions, "connection" | "beforeChunk">,
): Promise<number> {
  // Prepared once: each statement holds native memory until the garbage collector finalizes it.
  const insert = options.connection.prepare<[number, number]>(stepStatesInsertSql(fresh, "not-decided-by-keys", "s.id > ? and s.id <= ?"));
  let created = 0;
  for (const [low, high] of await idRanges(db, fresh("onboarding_sessions"))) {
    await options.beforeChunk?.();
    created += insert.run(low, high).changes;
  }
  return created;
}

/** The rest of the rule, once every key is in: step 1 in progress where the session holds a key. */
export async function insertStepStatesDecidedByKeys(db: UpgradeExecutor): Promise<number> {
  return execute(db, stepStatesInsertSql(fresh, "decided-by-keys"));
}
