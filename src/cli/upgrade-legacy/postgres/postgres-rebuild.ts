import { CHILD_PLANS, CHILD_TABLES, LEGACY_TABLES, OUR_TABLES, SESSION_PLAN } from "../legacy/legacy-table-plan.js";
import type { Counts, RebuildContext, RebuildOutcome } from "../legacy-upgrader.js";
import type { SchemaDdl } from "../shared/our-schema-ddl.js";
import { quoted } from "../shared/quoted.js";
import { countOf, countRows, execute, query, type UpgradeExecutor } from "../shared/raw-sql.js";
import { createMergeTable, isOrphan, mergeSessionFields, MERGE_TABLE, readMerges } from "../shared/session-merges.js";
import { insertStepStates } from "../shared/step-state-sql.js";
import { sealPostgresKeys } from "./postgres-keys.js";
import { addKeyColumns, alterChild, alterSessions, fillMissing } from "./postgres-table-alters.js";

/** Tables that migration 1 creates and the old platform never had. */
const NEW_TABLES = ["step_states", "platform_integrations"] as const;

const newestFirst = (alias: string) => `${alias}.updated_at desc nulls last, ${alias}.id desc`;

/**
 * PostgreSQL changes the tables in place (ALTER … TYPE), inside the caller's one transaction:
 * DDL is transactional there, so a failure or a kill leaves the legacy tables as they were.
 */
export async function rebuildPostgres(db: UpgradeExecutor, context: RebuildContext, ddl: SchemaDdl): Promise<RebuildOutcome> {
  await execute(db, `lock table ${LEGACY_TABLES.map(quoted).join(", ")} in access exclusive mode`);
  const before = await countRows(db, LEGACY_TABLES);
  assertUnchangedSinceBackup(before, context.backup.rowCounts);
  await createMergeTable(db);
  await fillMergeTable(db);
  const merges = await readMerges(db);
  const orphans = await countOrphans(db);
  const droppedValues = await countDroppedValues(db);
  for (const table of CHILD_TABLES) await execute(db, `delete from ${quoted(table)} c where ${isOrphan("c")}`);
  await mergeSessions(db);
  const superseded = await deleteSuperseded(db);
  const filled = await fillAll(db, context.now);
  context.pause("mid-copy");

  await alterSessions(db, SESSION_PLAN);
  await addKeyColumns(db);
  const keysEncrypted = await sealPostgresKeys(db, context.cipher);
  for (const table of CHILD_TABLES) await alterChild(db, table);
  for (const table of NEW_TABLES) await execute(db, requiredDdl(ddl, table));
  const stepStatesCreated = await insertStepStates(db, (table) => table);
  await execute(db, `drop table ${MERGE_TABLE}`);
  const after = await countRows(db, OUR_TABLES);
  context.pause("before-commit");
  return {
    before,
    after,
    userIds: { convertedFromIntegers: before.onboarding_sessions ?? 0, keptAsText: 0 },
    merges,
    orphans,
    superseded,
    keysEncrypted,
    filled,
    invalidJsonQuoted: {},
    droppedValues,
    stepStatesCreated,
  };
}

/** A concurrent writer between the backup and the upgrade would leave rows that are in no backup. */
function assertUnchangedSinceBackup(now: Counts, backup: Counts): void {
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
async function fillMergeTable(db: UpgradeExecutor): Promise<void> {
  await execute(
    db,
    `insert into ${MERGE_TABLE} (legacy_id, survivor_id)
     select id, survivor_id from (
       select id, min(id) over (partition by cast(user_id as text)) as survivor_id from onboarding_sessions
     ) as grouped where id <> survivor_id`,
  );
}

async function countOrphans(db: UpgradeExecutor): Promise<Record<string, number>> {
  const orphans: Record<string, number> = {};
  for (const table of CHILD_TABLES) {
    orphans[table] = await countOf(db, `select count(*) as n from ${quoted(table)} c where ${isOrphan("c")}`);
  }
  return orphans;
}

/** Non-null values of legacy columns our schema lacks, over every legacy row: all of them stay in the backup only. */
async function countDroppedValues(db: UpgradeExecutor): Promise<Record<string, number>> {
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

/** Children of merged-away sessions move to the survivor before those sessions go. */
async function mergeSessions(db: UpgradeExecutor): Promise<void> {
  for (const table of CHILD_TABLES) {
    await execute(
      db,
      `update ${quoted(table)} as c set session_id = m.survivor_id from ${MERGE_TABLE} m where c.session_id = m.legacy_id`,
    );
  }
  await mergeSessionFields(db, "onboarding_sessions", newestFirst);
  await execute(db, `delete from onboarding_sessions where id in (select legacy_id from ${MERGE_TABLE})`);
}

async function deleteSuperseded(db: UpgradeExecutor): Promise<Record<string, number>> {
  const superseded: Record<string, number> = {};
  for (const table of CHILD_TABLES) {
    const partition = ["session_id", ...CHILD_PLANS[table].keepNewestPer].map(quoted).join(", ");
    superseded[table] = await execute(
      db,
      `delete from ${quoted(table)} where id in (
         select id from (
           select c.id, row_number() over (partition by ${partition} order by ${newestFirst("c")}) as rank
           from ${quoted(table)} c
         ) as ranked where rank > 1)`,
    );
  }
  return superseded;
}

async function fillAll(db: UpgradeExecutor, now: string): Promise<Record<string, number>> {
  let filled: Record<string, number> = await fillMissing(db, SESSION_PLAN, now);
  for (const table of CHILD_TABLES) filled = { ...filled, ...(await fillMissing(db, CHILD_PLANS[table], now)) };
  return filled;
}

function requiredDdl(ddl: SchemaDdl, table: string): string {
  const statement = ddl.get(table);
  if (statement === undefined) throw new Error(`migration 1 no longer creates ${table}; the upgrade needs updating`);
  return statement;
}
