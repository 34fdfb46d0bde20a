import type { RebuildContext, RebuildOutcome, UpgradeExecutor } from "./legacy-upgrader.js";
import { CHILD_PLANS, CHILD_TABLES, LEGACY_TABLES, OUR_TABLES, SESSION_PLAN } from "./legacy-table-plan.js";
import type { SchemaDdl } from "./our-schema-ddl.js";
import { countRows, execute, query, quoted } from "./raw-sql.js";
import {
  assertUnchangedSinceBackup,
  countDroppedValues,
  createMergeTable,
  insertStepStates,
  mergeSessionFields,
  MERGE_TABLE,
  readMerges,
} from "./shared-rebuild-steps.js";
import { copyChild, type ChildCopy } from "./sqlite-child-copy.js";
import { copiedExpression, fresh, newestFirst } from "./sqlite-column-sql.js";
import { USER_ID_PROBLEM_FUNCTION, type RegisteredFunctions } from "./sqlite-functions.js";

/**
 * SQLite's table-rebuild procedure (https://sqlite.org/lang_altertable.html#otheralter): with
 * foreign keys off, create each new table, copy with INSERT … SELECT inside the engine, drop the
 * old, rename the new, check foreign keys, all in the caller's one transaction.
 */
export async function rebuildSqlite(
  db: UpgradeExecutor,
  context: RebuildContext,
  ddl: SchemaDdl,
  functions: RegisteredFunctions,
): Promise<RebuildOutcome> {
  const before = await countRows(db, LEGACY_TABLES);
  assertUnchangedSinceBackup(before, context.backup.rowCounts);
  await refuseInvalidUserIds(db);
  const userIds = await countUserIdKinds(db);
  await createMergeTable(db);
  const merges = await readMerges(db);
  const droppedValues = await countDroppedValues(db);
  const sequences = await query<{ name: string; seq: number }>(db, "select name, seq from sqlite_sequence");
  for (const [table, statement] of ddl) await execute(db, renameCreatedTable(statement, table));

  await copySessions(db, context.now);
  context.pause("mid-copy");
  const copies: Record<string, ChildCopy> = {};
  for (const table of CHILD_TABLES) {
    copies[table] = await copyChild(db, CHILD_PLANS[table], before[table] ?? 0, { now: context.now, functions });
  }
  const stepStatesCreated = await insertStepStates(db, fresh);

  await swapTables(db);
  await keepIdsPastLegacyOnes(db, sequences);
  await assertForeignKeys(db);
  const after = await countRows(db, OUR_TABLES);
  context.pause("before-commit");
  return {
    before,
    after,
    userIds,
    merges,
    orphans: perTable(copies, "orphans"),
    superseded: perTable(copies, "superseded"),
    keysEncrypted: copies.api_keys?.kept ?? 0,
    ...functions.tallies(),
    droppedValues,
    stepStatesCreated,
  };
}

function renameCreatedTable(statement: string, table: string): string {
  const renamed = statement.replace(`create table ${quoted(table)} `, `create table ${quoted(fresh(table))} `);
  if (renamed === statement) throw new Error(`cannot rename table ${table} in: ${statement}`);
  return renamed;
}

async function refuseInvalidUserIds(db: UpgradeExecutor): Promise<void> {
  // SQL picks the suspects (wrong type, length, a control or NUL character); userIdProblem words the reason.
  const control = `'*[' || char(1) || '-' || char(31) || char(127) || '-' || char(159) || ']*'`;
  const bad = await query<{ id: number; problem: string }>(
    db,
    `select id, ${USER_ID_PROBLEM_FUNCTION}(user_id) as problem from onboarding_sessions
     where typeof(user_id) not in ('integer', 'real')
       and (typeof(user_id) <> 'text' or length(user_id) not between 1 and 255 or user_id glob ${control} or instr(user_id, char(0)) > 0)
       and ${USER_ID_PROBLEM_FUNCTION}(user_id) is not null
     order by id limit 5`,
  );
  if (bad.length > 0) {
    const list = bad.map((row) => `session ${row.id}: user_id ${row.problem}`).join("; ");
    throw new Error(`some legacy user ids cannot become user ids (fix or delete these sessions first): ${list}`);
  }
}

async function countUserIdKinds(db: UpgradeExecutor): Promise<RebuildOutcome["userIds"]> {
  const [row] = await query<{ integers: number | null; total: number }>(
    db,
    `select sum(typeof(user_id) = 'integer') as integers, count(*) as total from onboarding_sessions`,
  );
  const integers = Number(row?.integers ?? 0);
  return { convertedFromIntegers: integers, keptAsText: Number(row?.total ?? 0) - integers };
}

async function copySessions(db: UpgradeExecutor, now: string): Promise<void> {
  const columns = SESSION_PLAN.copied.map((column) => column.name);
  await execute(
    db,
    `insert into ${quoted(fresh("onboarding_sessions"))} (id, user_id, ${columns.map(quoted).join(", ")})
     select c.id, cast(c.user_id as text), ${SESSION_PLAN.copied.map((column) => copiedExpression(SESSION_PLAN.table, column, now)).join(", ")}
     from onboarding_sessions c
     where not exists (select 1 from ${MERGE_TABLE} m where m.legacy_id = c.id)`,
  );
  await mergeSessionFields(db, fresh("onboarding_sessions"), newestFirst);
}

async function swapTables(db: UpgradeExecutor): Promise<void> {
  // The plaintext keys' pages are zeroed as they are freed, so the live file keeps none of them.
  await execute(db, "pragma secure_delete = on");
  await execute(db, `drop table api_keys`);
  await execute(db, "pragma secure_delete = off");
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

async function assertForeignKeys(db: UpgradeExecutor): Promise<void> {
  const violations = await query<{ table: string }>(db, "pragma foreign_key_check");
  if (violations.length > 0) {
    const tables = [...new Set(violations.map((violation) => violation.table))].join(", ");
    throw new Error(`${violations.length} foreign key violation(s) after the rebuild, in ${tables}`);
  }
}

function perTable(copies: Readonly<Record<string, ChildCopy>>, field: "orphans" | "superseded"): Record<string, number> {
  return Object.fromEntries(CHILD_TABLES.map((table) => [table, copies[table]?.[field] ?? 0]));
}
