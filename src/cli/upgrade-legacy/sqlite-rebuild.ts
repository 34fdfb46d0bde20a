import type { Counts, RebuildContext, RebuildOutcome, UpgradeExecutor } from "./legacy-upgrader.js";
import { CHILD_PLANS, CHILD_TABLES, LEGACY_TABLES, OUR_TABLES, SESSION_PLAN, type TablePlan } from "./legacy-table-plan.js";
import type { SchemaDdl } from "./our-schema-ddl.js";
import { countOf, countRows, execute, query, quoted } from "./raw-sql.js";
import {
  assertUnchangedSinceBackup,
  countOrphans,
  createMergeTable,
  insertStepStates,
  mergeSessionFields,
  MERGE_TABLE,
  readMerges,
} from "./shared-rebuild-steps.js";
import { auditColumns, copiedExpression, newestFirst, targetSession } from "./sqlite-column-sql.js";

/** SQL functions the SQLite upgrader registers on its connection before the rebuild. */
export const SEAL_KEY_FUNCTION = "upgrade_seal_key";
export const KEY_LAST4_FUNCTION = "upgrade_key_last4";
export const USER_ID_PROBLEM_FUNCTION = "upgrade_user_id_problem";

/** Our tables are built beside the legacy ones under this suffix, then renamed over them. */
const NEW = "__upgrade";
const fresh = (table: string) => `${table}${NEW}`;

/**
 * SQLite's table-rebuild procedure (https://sqlite.org/lang_altertable.html#otheralter): with
 * foreign keys off, create each new table, copy with INSERT … SELECT inside the engine, drop the
 * old, rename the new, check foreign keys, all in the caller's one transaction.
 */
export async function rebuildSqlite(
  db: UpgradeExecutor,
  context: RebuildContext,
  ddl: SchemaDdl,
  keyVersion: number,
): Promise<RebuildOutcome> {
  const before = await countRows(db, LEGACY_TABLES);
  assertUnchangedSinceBackup(before, context.backup.rowCounts);
  await refuseInvalidUserIds(db);
  const userIds = await countUserIdKinds(db);
  await createMergeTable(db);
  const merges = await readMerges(db);
  const orphans = await countOrphans(db);
  const sequences = await query<{ name: string; seq: number }>(db, "select name, seq from sqlite_sequence");
  for (const [table, statement] of ddl) await execute(db, renameCreatedTable(statement, table));

  await copySessions(db, context.now);
  context.pause("mid-copy");
  for (const table of CHILD_TABLES) await copyChild(db, CHILD_PLANS[table], context.now, keyVersion);
  const stepStatesCreated = await insertStepStates(db, fresh);
  const audit = await auditAll(db);

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
    orphans,
    superseded: superseded(before, orphans, after),
    keysEncrypted: after.api_keys ?? 0,
    ...audit,
    stepStatesCreated,
  };
}

function renameCreatedTable(statement: string, table: string): string {
  const renamed = statement.replace(`create table ${quoted(table)} `, `create table ${quoted(fresh(table))} `);
  if (renamed === statement) throw new Error(`cannot rename table ${table} in: ${statement}`);
  return renamed;
}

async function refuseInvalidUserIds(db: UpgradeExecutor): Promise<void> {
  const bad = await query<{ id: number; problem: string }>(
    db,
    `select id, ${USER_ID_PROBLEM_FUNCTION}(user_id) as problem from onboarding_sessions
     where typeof(user_id) <> 'integer' and ${USER_ID_PROBLEM_FUNCTION}(user_id) is not null order by id limit 5`,
  );
  if (bad.length > 0) {
    const list = bad.map((row) => `session ${row.id}: user_id ${row.problem}`).join("; ");
    throw new Error(`some legacy user ids cannot become user ids (fix or delete these sessions first): ${list}`);
  }
}

async function countUserIdKinds(db: UpgradeExecutor): Promise<RebuildOutcome["userIds"]> {
  const integers = await countOf(db, `select count(*) as n from onboarding_sessions where typeof(user_id) = 'integer'`);
  const total = await countOf(db, `select count(*) as n from onboarding_sessions`);
  return { convertedFromIntegers: integers, keptAsText: total - integers };
}

async function copySessions(db: UpgradeExecutor, now: string): Promise<void> {
  const columns = SESSION_PLAN.copied.map((column) => column.name);
  await execute(
    db,
    `insert into ${quoted(fresh("onboarding_sessions"))} (id, user_id, ${columns.map(quoted).join(", ")})
     select c.id, cast(c.user_id as text), ${SESSION_PLAN.copied.map((column) => copiedExpression(column, now)).join(", ")}
     from onboarding_sessions c
     where not exists (select 1 from ${MERGE_TABLE} m where m.legacy_id = c.id)`,
  );
  await mergeSessionFields(db, fresh("onboarding_sessions"), newestFirst);
}

/** The newest row per surviving session (and provider) wins; orphans and older duplicates stay behind. */
async function copyChild(db: UpgradeExecutor, plan: TablePlan, now: string, keyVersion: number): Promise<void> {
  const isKeys = plan.table === "api_keys";
  const columns = [...plan.copied.map((column) => column.name), ...(isKeys ? ["key_ciphertext", "key_last4", "key_version"] : [])];
  const values = [
    ...plan.copied.map((column) => copiedExpression(column, now)),
    ...(isKeys
      ? [`${SEAL_KEY_FUNCTION}(c."key", s.user_id, c.provider)`, `${KEY_LAST4_FUNCTION}(c."key")`, String(keyVersion)]
      : []),
  ];
  const partition = [targetSession("c"), ...plan.keepNewestPer.map((column) => `c.${quoted(column)}`)].join(", ");
  await execute(
    db,
    `insert into ${quoted(fresh(plan.table))} (id, session_id, ${columns.map(quoted).join(", ")})
     select c.id, r.target, ${values.join(", ")}
     from (
       select c.id as id, ${targetSession("c")} as target,
              row_number() over (partition by ${partition} order by ${newestFirst("c")}) as rank
       from ${quoted(plan.table)} c left join ${MERGE_TABLE} m on m.legacy_id = c.session_id
       where exists (select 1 from onboarding_sessions s where s.id = c.session_id)
     ) as r
     join ${quoted(plan.table)} c on c.id = r.id
     ${isKeys ? `join ${quoted(fresh("onboarding_sessions"))} s on s.id = r.target` : ""}
     where r.rank = 1`,
  );
}

async function auditAll(db: UpgradeExecutor): Promise<Pick<RebuildOutcome, "filled" | "invalidJsonQuoted" | "droppedValues">> {
  const result = { filled: {} as Record<string, number>, invalidJsonQuoted: {} as Record<string, number>, droppedValues: {} as Record<string, number> };
  for (const plan of [SESSION_PLAN, ...CHILD_TABLES.map((table) => CHILD_PLANS[table])]) {
    const checks = auditColumns(plan);
    if (checks.length === 0) continue;
    const sums = checks.map((check, index) => `sum(case when ${check.condition} then 1 else 0 end) as c${index}`);
    const [row] = await query<Record<string, number | null>>(
      db,
      `select ${sums.join(", ")} from ${quoted(fresh(plan.table))} n join ${quoted(plan.table)} c on c.id = n.id`,
    );
    checks.forEach((check, index) => {
      result[check.tally][`${plan.table}.${check.column}`] = Number(row?.[`c${index}`] ?? 0);
    });
  }
  return result;
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

function superseded(before: Counts, orphans: Counts, after: Counts): Record<string, number> {
  return Object.fromEntries(
    CHILD_TABLES.map((table) => [table, (before[table] ?? 0) - (orphans[table] ?? 0) - (after[table] ?? 0)]),
  );
}
