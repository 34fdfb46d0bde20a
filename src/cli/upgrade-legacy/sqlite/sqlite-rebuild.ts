import type SqliteDatabase from "better-sqlite3";
import { CHILD_PLANS, CHILD_TABLES, LEGACY_TABLES, OUR_TABLES } from "../legacy/legacy-table-plan.js";
import type { RebuildContext, RebuildOutcome } from "../legacy-upgrader.js";
import type { SchemaDdl } from "../shared/our-schema-ddl.js";
import { quoted } from "../shared/quoted.js";
import { countRows, execute, query, type UpgradeExecutor } from "../shared/raw-sql.js";
import { createMergeTable, MERGE_TABLE } from "../shared/session-merges.js";
import { copyChild, type ChildCopy, type ChildCopyOptions } from "./sqlite-child-copy.js";
import { fresh, quoteInvalidJsonSql } from "./sqlite-column-sql.js";
import { removeOrphansFoundByForeignKeyCheck } from "./sqlite-foreign-key-check.js";
import { registerKeyFunctions } from "./sqlite-key-functions.js";
import { insertSqliteKeys } from "./sqlite-keys.js";
import type { LegacyPrescan } from "./sqlite-prescan.js";
import type { WorkerKeysTable } from "./sqlite-sealing-worker.js";
import { copySessions } from "./sqlite-session-copy.js";
import { insertStepStatesBeforeKeys } from "./sqlite-step-states.js";
import { SqliteTallies } from "./sqlite-tallies.js";
import { checkUserIds } from "./sqlite-user-ids.js";
import { runValueChecks } from "./sqlite-value-checks.js";

/** What the rebuild needs besides SQL: the transaction's connection, the keys a worker seals, the prescan. */
export interface SqliteEngine {
  readonly connection: SqliteDatabase.Database;
  /** Undefined: the keys are sealed on this thread. */
  readonly keys: WorkerKeysTable | undefined;
  /** What the pass beside the backup found: row counts, user ids, sessions with keys. */
  readonly prescan: LegacyPrescan;
}

/**
 * SQLite's table-rebuild procedure (https://sqlite.org/lang_altertable.html#otheralter): with
 * foreign keys off, create each new table, copy with INSERT … SELECT inside the engine, drop the
 * old, rename the new, check foreign keys, all in the caller's one transaction.
 */
export async function rebuildSqlite(
  db: UpgradeExecutor,
  context: RebuildContext,
  ddl: SchemaDdl,
  engine: SqliteEngine,
): Promise<RebuildOutcome> {
  const { connection, prescan } = engine;
  registerKeyFunctions(connection, context.cipher);
  const tallies = new SqliteTallies(connection);
  // Without a worker the checks run here, while the legacy tables are still there to read.
  const valueChecks = engine.keys?.checks() ?? Promise.resolve(runValueChecks(connection));
  // The upgrader proved that nothing wrote since the backup's snapshot, so its counts are ours.
  const before = context.backup.rowCounts;
  const sequences = await query<{ name: string; seq: number }>(db, "select name, seq from sqlite_sequence");
  for (const [table, statement] of ddl) await execute(db, renameCreatedTable(statement, table));
  await createMergeTable(db);

  const options: ChildCopyOptions = { connection, now: context.now, tallies, keyVersion: context.cipher.currentVersion, hasMerges: false };
  const userIds = await checkUserIds(db, connection, prescan.userIds);
  const sessions = await copySessions(db, { ...options, legacyRows: before.onboarding_sessions ?? 0 });
  context.pause("mid-copy");
  const afterSessions: ChildCopyOptions = { ...options, hasMerges: sessions.hasMerges };
  const copies: Record<string, ChildCopy> = {};
  for (const table of CHILD_TABLES.filter((name) => name !== "api_keys")) {
    copies[table] = await copyChild(db, CHILD_PLANS[table], before[table] ?? 0, afterSessions);
  }
  // The keys go last: a worker thread has been building their table since the rebuild began.
  const stepStates = await insertStepStatesBeforeKeys(db, afterSessions, prescan.sessionsWithKeys, () =>
    insertSqliteKeys(db, { worker: engine.keys, backupPath: context.backup.location }, context.cipher, afterSessions, before.api_keys ?? 0),
  );
  copies.api_keys = stepStates.keys;
  const stepStatesCreated = stepStates.created;

  await swapTables(db);
  await keepIdsPastLegacyOnes(db, sequences);
  const orphans = perTable(copies, "orphans");
  const removedByCheck = await removeOrphansFoundByForeignKeyCheck(db);
  // Keys go in only under a session that exists, so none may be found here.
  if ((removedByCheck.api_keys ?? 0) > 0) throw new Error(`the foreign key check found ${removedByCheck.api_keys} keys without a session`);
  for (const [table, removed] of Object.entries(removedByCheck)) orphans[table] = (orphans[table] ?? 0) + removed;
  const { invalidJson, droppedValues } = await valueChecks;
  for (const name of columnsWith(invalidJson)) {
    const [table = "", column = ""] = name.split(".");
    await execute(db, quoteInvalidJsonSql(table, column));
  }
  const after = await countRows(db, OUR_TABLES);
  context.pause("before-commit");
  return {
    before,
    after,
    userIds,
    merges: sessions.merges,
    orphans,
    superseded: perTable(copies, "superseded"),
    // Every row in api_keys was sealed by this upgrade.
    keysEncrypted: after.api_keys ?? 0,
    ...tallies.counted(),
    droppedValues,
    stepStatesCreated,
  };
}

export function renameCreatedTable(statement: string, table: string): string {
  const renamed = statement.replace(`create table ${quoted(table)} `, `create table ${quoted(fresh(table))} `);
  if (renamed === statement) throw new Error(`cannot rename table ${table} in: ${statement}`);
  return renamed;
}

async function swapTables(db: UpgradeExecutor): Promise<void> {
  // api_keys went before the keys were inserted (sqlite-keys.ts).
  for (const table of LEGACY_TABLES.filter((name) => name !== "api_keys")) await execute(db, `drop table ${quoted(table)}`);
  for (const table of OUR_TABLES) await execute(db, `alter table ${quoted(fresh(table))} rename to ${quoted(table)}`);
  await execute(db, `drop table ${MERGE_TABLE}`);
}

/** New rows never reuse the id of a legacy row that was left out (it still exists in the backup). */
async function keepIdsPastLegacyOnes(db: UpgradeExecutor, sequences: readonly { name: string; seq: number }[]): Promise<void> {
  for (const { name, seq } of sequences) {
    if (!(LEGACY_TABLES as readonly string[]).includes(name)) continue;
    const table = `'${name}'`;
    await execute(db, `update sqlite_sequence set seq = ${Number(seq)} where name = ${table} and seq < ${Number(seq)}`);
    await execute(
      db,
      `insert into sqlite_sequence (name, seq) select ${table}, ${Number(seq)}
       where not exists (select 1 from sqlite_sequence where name = ${table})`,
    );
  }
}

function perTable(copies: Readonly<Record<string, ChildCopy>>, field: "orphans" | "superseded"): Record<string, number> {
  return Object.fromEntries(CHILD_TABLES.map((table) => [table, copies[table]?.[field] ?? 0]));
}

/** `table.column` names whose count is above zero. */
function columnsWith(counts: Readonly<Record<string, number>>): string[] {
  return Object.keys(counts).filter((name) => (counts[name] ?? 0) > 0);
}
