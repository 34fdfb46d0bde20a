import { sql, type CreateTableBuilder, type Kysely } from "kysely";
import { columnType } from "../column-types.js";
import type { SqlDialect } from "../database.js";
import type { Migration } from "../migration.js";

export const initialSchema: Migration = {
  version: 1,
  name: "initial-schema",
  async up(db, dialect) {
    await createSessions(db, dialect);
    await createStepStates(db, dialect);
    await createApiKeys(db, dialect);
    await createWebsiteAnalyses(db, dialect);
    await createResearchPreferences(db, dialect);
    await createPersonaData(db, dialect);
    await createPlatformIntegrations(db, dialect);
  },
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;
type Table = CreateTableBuilder<string, string>;

function withId(table: Table, dialect: SqlDialect): Table {
  return table.addColumn("id", columnType(dialect, "serial"), (c) =>
    dialect === "sqlite" ? c.primaryKey().autoIncrement() : c.primaryKey(),
  );
}

function withTimestamps(table: Table, dialect: SqlDialect): Table {
  return table
    .addColumn("created_at", columnType(dialect, "timestamp"), (c) => c.notNull())
    .addColumn("updated_at", columnType(dialect, "timestamp"), (c) => c.notNull());
}

function withSession(table: Table, options: { unique: boolean }): Table {
  return table.addColumn("session_id", "integer", (c) => {
    const column = c.notNull().references("onboarding_sessions.id").onDelete("cascade");
    return options.unique ? column.unique() : column;
  });
}

async function createSessions(db: AnyDb, dialect: SqlDialect): Promise<void> {
  await withId(db.schema.createTable("onboarding_sessions"), dialect)
    .addColumn("user_id", "varchar(255)", (c) => c.notNull().unique())
    .addColumn("current_step", "integer", (c) => c.notNull().defaultTo(1))
    .addColumn("progress", "double precision", (c) => c.notNull().defaultTo(0))
    .addColumn("started_at", columnType(dialect, "timestamp"), (c) => c.notNull())
    .addColumn("updated_at", columnType(dialect, "timestamp"), (c) => c.notNull())
    .addColumn("completed_at", columnType(dialect, "timestamp"))
    .addColumn("onboarding_type", "varchar(32)")
    .execute();
}

async function createStepStates(db: AnyDb, dialect: SqlDialect): Promise<void> {
  await withSession(db.schema.createTable("step_states"), { unique: false })
    .addColumn("step_number", "integer", (c) => c.notNull().check(sql`step_number between 1 and 6`))
    .addColumn("status", "varchar(16)", (c) => c.notNull())
    .addColumn("completed_at", columnType(dialect, "timestamp"))
    .addColumn("validation_errors", columnType(dialect, "json"), (c) => c.notNull())
    .addColumn("updated_at", columnType(dialect, "timestamp"), (c) => c.notNull())
    .addPrimaryKeyConstraint("step_states_pk", ["session_id", "step_number"])
    .execute();
}

async function createApiKeys(db: AnyDb, dialect: SqlDialect): Promise<void> {
  const table = withSession(withId(db.schema.createTable("api_keys"), dialect), { unique: false })
    .addColumn("provider", "varchar(64)", (c) => c.notNull())
    .addColumn("key_ciphertext", "text", (c) => c.notNull())
    .addColumn("key_last4", "varchar(4)", (c) => c.notNull())
    .addColumn("key_version", "integer", (c) => c.notNull())
    .addUniqueConstraint("api_keys_session_provider_unique", ["session_id", "provider"]);
  await withTimestamps(table, dialect).execute();
}

async function createWebsiteAnalyses(db: AnyDb, dialect: SqlDialect): Promise<void> {
  let table = withSession(withId(db.schema.createTable("website_analyses"), dialect), { unique: true })
    .addColumn("website_url", "varchar(2048)", (c) => c.notNull())
    .addColumn("analysis_date", columnType(dialect, "timestamp"));
  for (const column of WEBSITE_ANALYSIS_JSON_COLUMNS) table = table.addColumn(column, columnType(dialect, "json"));
  table = table
    .addColumn("status", "varchar(50)", (c) => c.notNull().defaultTo("completed"))
    .addColumn("error_message", "text")
    .addColumn("warning_message", "text");
  await withTimestamps(table, dialect).execute();
}

export const WEBSITE_ANALYSIS_JSON_COLUMNS = [
  "writing_style",
  "content_characteristics",
  "target_audience",
  "content_type",
  "recommended_settings",
  "brand_analysis",
  "content_strategy_insights",
  "crawl_result",
  "style_patterns",
  "style_guidelines",
] as const;

async function createResearchPreferences(db: AnyDb, dialect: SqlDialect): Promise<void> {
  const table = withSession(withId(db.schema.createTable("research_preferences"), dialect), { unique: true })
    .addColumn("research_depth", "varchar(50)", (c) => c.notNull())
    .addColumn("content_types", columnType(dialect, "json"), (c) => c.notNull())
    .addColumn("auto_research", columnType(dialect, "boolean"), (c) => c.notNull())
    .addColumn("factual_content", columnType(dialect, "boolean"), (c) => c.notNull());
  await withTimestamps(table, dialect).execute();
}

async function createPersonaData(db: AnyDb, dialect: SqlDialect): Promise<void> {
  let table = withSession(withId(db.schema.createTable("persona_data"), dialect), { unique: true });
  for (const column of ["core_persona", "platform_personas", "quality_metrics", "selected_platforms"]) {
    table = table.addColumn(column, columnType(dialect, "json"));
  }
  await withTimestamps(table, dialect).execute();
}

async function createPlatformIntegrations(db: AnyDb, dialect: SqlDialect): Promise<void> {
  const table = withSession(withId(db.schema.createTable("platform_integrations"), dialect), { unique: true })
    .addColumn("primary_website", "varchar(2048)")
    .addColumn("website_platforms", columnType(dialect, "json"), (c) => c.notNull())
    .addColumn("analytics_platforms", columnType(dialect, "json"), (c) => c.notNull())
    .addColumn("social_platforms", columnType(dialect, "json"), (c) => c.notNull())
    .addColumn("extra_settings", columnType(dialect, "json"));
  await withTimestamps(table, dialect).execute();
}
