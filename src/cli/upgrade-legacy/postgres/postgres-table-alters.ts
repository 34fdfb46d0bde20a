import { CHILD_PLANS, type ChildTableName, type CopiedColumn, type Fill, type TablePlan } from "../legacy/legacy-table-plan.js";
import { quoted } from "../shared/quoted.js";
import { execute, query, type UpgradeExecutor } from "../shared/raw-sql.js";

/**
 * The ALTER TABLE statements that take each legacy PostgreSQL table to migration 1's shape.
 * Each table gets one statement, so PostgreSQL rewrites it once. Constraint names are the ones
 * PostgreSQL gives the migration's inline constraints, so both paths end in the same catalog.
 */

/** Our schema keeps these defaults (migration 1); every other legacy default goes. */
const KEPT_DEFAULTS: Readonly<Record<string, string>> = { current_step: "1", progress: "0", status: "'completed'" };

/** Legacy timestamps are naive UTC (the old platform wrote utcnow()). */
function columnActions(column: CopiedColumn): string[] {
  const name = quoted(column.name);
  const kept = KEPT_DEFAULTS[column.name];
  const actions = [`alter column ${name} ${kept === undefined ? "drop default" : `set default ${kept}`}`];
  if (column.kind === "timestamp") actions.unshift(`alter column ${name} type timestamptz using ${name} at time zone 'UTC'`);
  if (column.kind === "json") actions.unshift(`alter column ${name} type jsonb using ${name}::jsonb`);
  if (column.fill !== undefined) actions.push(`alter column ${name} set not null`);
  return actions;
}

function planActions(plan: TablePlan): string[] {
  return [...plan.dropped.map((column) => `drop column ${quoted(column)}`), ...plan.copied.flatMap(columnActions)];
}

export async function alterSessions(db: UpgradeExecutor, plan: TablePlan): Promise<void> {
  await alter(db, "onboarding_sessions", [
    "alter column user_id type varchar(255) using user_id::text",
    "alter column progress type double precision",
    ...planActions(plan),
    "add column completed_at timestamptz",
    "add column onboarding_type varchar(32)",
    "add constraint onboarding_sessions_user_id_key unique (user_id)",
  ]);
}

export async function addKeyColumns(db: UpgradeExecutor): Promise<void> {
  await alter(db, "api_keys", [
    "add column key_ciphertext text",
    "add column key_last4 varchar(4)",
    "add column key_version integer",
  ]);
}

/** The type changes rewrite the table, which also leaves the dropped plaintext column's values behind. */
export async function alterChild(db: UpgradeExecutor, table: ChildTableName): Promise<void> {
  const extra: Record<ChildTableName, string[]> = {
    api_keys: [
      `drop column "key"`,
      "alter column key_ciphertext set not null",
      "alter column key_last4 set not null",
      "alter column key_version set not null",
      "add constraint api_keys_session_provider_unique unique (session_id, provider)",
    ],
    website_analyses: [
      "alter column website_url type varchar(2048)",
      "add column brand_analysis jsonb",
      "add column content_strategy_insights jsonb",
      "add constraint website_analyses_session_id_key unique (session_id)",
    ],
    research_preferences: ["add constraint research_preferences_session_id_key unique (session_id)"],
    persona_data: ["add constraint persona_data_session_id_key unique (session_id)"],
  };
  await alter(db, table, [
    ...planActions(CHILD_PLANS[table]),
    ...extra[table],
    "alter column session_id set not null",
    ...(await foreignKeyActions(db, table)),
  ]);
}

/** Legacy api_keys has no ON DELETE CASCADE; every child table gets migration 1's foreign key. */
async function foreignKeyActions(db: UpgradeExecutor, table: string): Promise<string[]> {
  const existing = await query<{ conname: string }>(
    db,
    `select conname from pg_constraint where conrelid = '${quoted(table)}'::regclass and contype = 'f'`,
  );
  return [
    ...existing.map((constraint) => `drop constraint ${quoted(constraint.conname)}`),
    `add constraint ${quoted(`${table}_session_id_fkey`)} foreign key (session_id) references onboarding_sessions (id) on delete cascade`,
  ];
}

async function alter(db: UpgradeExecutor, table: string, actions: readonly string[]): Promise<void> {
  await execute(db, `alter table ${quoted(table)} ${actions.join(", ")}`);
}

/** Gives each NULL that a NOT NULL column of ours cannot hold its fill value; returns the count per column. */
export async function fillMissing(db: UpgradeExecutor, plan: TablePlan, now: string): Promise<Record<string, number>> {
  const filled: Record<string, number> = {};
  for (const column of plan.copied) {
    if (column.fill === undefined) continue;
    const name = quoted(column.name);
    const missing = column.kind === "json" ? `(c.${name} is null or json_typeof(c.${name}) = 'null')` : `c.${name} is null`;
    filled[`${plan.table}.${column.name}`] = await execute(
      db,
      `update ${quoted(plan.table)} as c set ${name} = ${fillSql(column.fill, now)} where ${missing}`,
    );
  }
  return filled;
}

function fillSql(fill: Fill, now: string): string {
  if ("otherwise" in fill) {
    const nowUtc = `('${now.replaceAll("'", "''")}'::timestamptz at time zone 'UTC')`;
    return `coalesce(${[...fill.otherwise.map((name) => `c.${quoted(name)}`), nowUtc].join(", ")})`;
  }
  const constants = { one: "1", zero: "0", true: "true", completed: "'completed'", "empty-array": "'[]'::json" };
  return constants[fill.constant];
}
