import type { SqlDialect } from "../../db/database.js";

/**
 * The old platform's tables, copied verbatim from shared/legacy/alwrity-schema.sql (a test
 * checks the copy against that file when it is present). Used by tests and the benchmark to
 * build legacy databases; the upgrade itself never creates legacy tables.
 */
export const LEGACY_SQLITE_SCHEMA = `CREATE TABLE onboarding_sessions (
    id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL,
    current_step INTEGER DEFAULT 1,
    progress FLOAT DEFAULT 0.0,
    started_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE api_keys (
    id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    session_id INTEGER REFERENCES onboarding_sessions (id),
    provider VARCHAR(64) NOT NULL,
    "key" VARCHAR(256) NOT NULL,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE website_analyses (
    id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    session_id INTEGER NOT NULL REFERENCES onboarding_sessions (id) ON DELETE CASCADE,
    website_url VARCHAR(500) NOT NULL,
    analysis_date DATETIME DEFAULT CURRENT_TIMESTAMP,
    writing_style JSON,
    content_characteristics JSON,
    target_audience JSON,
    content_type JSON,
    recommended_settings JSON,
    crawl_result JSON,
    style_patterns JSON,
    style_guidelines JSON,
    status VARCHAR(50) DEFAULT 'completed',
    error_message TEXT,
    warning_message TEXT,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE research_preferences (
    id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    session_id INTEGER NOT NULL REFERENCES onboarding_sessions (id) ON DELETE CASCADE,
    research_depth VARCHAR(50) NOT NULL,
    content_types JSON NOT NULL,
    auto_research BOOLEAN DEFAULT 1,
    factual_content BOOLEAN DEFAULT 1,
    writing_style JSON,
    content_characteristics JSON,
    target_audience JSON,
    recommended_settings JSON,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE persona_data (
    id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    session_id INTEGER NOT NULL REFERENCES onboarding_sessions (id) ON DELETE CASCADE,
    core_persona JSON,
    platform_personas JSON,
    quality_metrics JSON,
    selected_platforms JSON,
    created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME DEFAULT CURRENT_TIMESTAMP
);`;

/** The same shape on PostgreSQL, as the schema file describes it: INTEGER is int4, JSON is json. */
export const LEGACY_POSTGRES_SCHEMA = LEGACY_SQLITE_SCHEMA.replaceAll(
  "INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT",
  "SERIAL PRIMARY KEY",
)
  .replaceAll("DATETIME", "TIMESTAMP")
  .replaceAll("BOOLEAN DEFAULT 1", "BOOLEAN DEFAULT TRUE");

export function legacySchemaStatements(dialect: SqlDialect): string[] {
  const schema = dialect === "sqlite" ? LEGACY_SQLITE_SCHEMA : LEGACY_POSTGRES_SCHEMA;
  return schema.split(";").map((statement) => statement.trim()).filter((statement) => statement !== "");
}
