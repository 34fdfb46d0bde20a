import type { ColumnType, Generated } from "kysely";

/**
 * Row types of our schema. Timestamps come back as Date from PostgreSQL (timestamptz) and as
 * ISO text from SQLite; JSON as parsed values from PostgreSQL (jsonb) and as text from SQLite;
 * booleans as boolean or 0/1. `column-codecs.ts` turns each into one shape.
 */
export type Timestamp = ColumnType<Date | string, string, string>;
export type NullableTimestamp = ColumnType<Date | string | null, string | null, string | null>;
export type Json = ColumnType<unknown, string, string>;
export type NullableJson = ColumnType<unknown, string | null, string | null>;
export type Flag = ColumnType<boolean | number, number, number>;

export interface OnboardingSessionsTable {
  id: Generated<number>;
  user_id: string;
  current_step: number;
  progress: number;
  started_at: Timestamp;
  updated_at: Timestamp;
  completed_at: NullableTimestamp;
  onboarding_type: string | null;
}

export interface StepStatesTable {
  session_id: number;
  step_number: number;
  status: string;
  completed_at: NullableTimestamp;
  validation_errors: Json;
  updated_at: Timestamp;
}

export interface ApiKeysTable {
  id: Generated<number>;
  session_id: number;
  provider: string;
  key_ciphertext: string;
  key_last4: string;
  key_version: number;
  /** Step 1's preferred_provider: at most one row of a session (migration 4). */
  preferred: ColumnType<boolean | number, number | undefined, number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface WebsiteAnalysesTable {
  id: Generated<number>;
  session_id: number;
  website_url: string;
  analysis_date: NullableTimestamp;
  writing_style: NullableJson;
  content_characteristics: NullableJson;
  target_audience: NullableJson;
  content_type: NullableJson;
  recommended_settings: NullableJson;
  brand_analysis: NullableJson;
  content_strategy_insights: NullableJson;
  crawl_result: NullableJson;
  style_patterns: NullableJson;
  style_guidelines: NullableJson;
  status: string;
  error_message: string | null;
  warning_message: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ResearchPreferencesTable {
  id: Generated<number>;
  session_id: number;
  research_depth: string;
  content_types: Json;
  auto_research: Flag;
  factual_content: Flag;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PersonaDataTable {
  id: Generated<number>;
  session_id: number;
  core_persona: NullableJson;
  platform_personas: NullableJson;
  quality_metrics: NullableJson;
  selected_platforms: NullableJson;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface PlatformIntegrationsTable {
  id: Generated<number>;
  session_id: number;
  primary_website: string | null;
  website_platforms: Json;
  analytics_platforms: Json;
  social_platforms: Json;
  /** Keys of a legacy free-form step 5 that have no column of their own. */
  extra_settings: NullableJson;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Step 4's generation tasks, by the token's user id (see migration 2). */
export interface PersonaTasksTable {
  task_id: string;
  user_id: string;
  status: string;
  progress: number;
  progress_messages: Json;
  result: NullableJson;
  error: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Each user's starts of expensive work in the current window (see migration 3). */
export interface ExpensiveWorkLimitsTable {
  user_id: string;
  starts: Json;
  updated_at: Timestamp;
}

/** Each user's run of each kind of expensive work: who runs it, then its outcome. */
export interface ExpensiveWorkRunsTable {
  user_id: string;
  kind: string;
  run_id: string;
  status: string;
  outcome: NullableJson;
  updated_at: Timestamp;
}

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  applied_at: string;
}

export interface Tables {
  onboarding_sessions: OnboardingSessionsTable;
  step_states: StepStatesTable;
  api_keys: ApiKeysTable;
  website_analyses: WebsiteAnalysesTable;
  research_preferences: ResearchPreferencesTable;
  persona_data: PersonaDataTable;
  platform_integrations: PlatformIntegrationsTable;
  persona_tasks: PersonaTasksTable;
  expensive_work_limits: ExpensiveWorkLimitsTable;
  expensive_work_runs: ExpensiveWorkRunsTable;
  schema_migrations: SchemaMigrationsTable;
}
