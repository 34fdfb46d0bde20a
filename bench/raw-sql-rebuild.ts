import SqliteDatabase from "better-sqlite3";

/**
 * The baseline: the same rebuild written by hand as plain SQL, the way an operator would do it
 * without our tool. Same target tables and step_states, but no backup, no merge of duplicate
 * sessions, no orphan or duplicate filtering, no JSON checks, and NO ENCRYPTION: SQL cannot call
 * AES-GCM, so it copies the plaintext key into key_ciphertext (with key_version 0) instead.
 */
export function rawSqlRebuild(path: string): void {
  const db = new SqliteDatabase(path);
  try {
    db.pragma("foreign_keys = OFF");
    db.exec(`begin immediate; ${REBUILD_SQL} ${DROP_AND_RENAME}`);
    const violations = db.pragma("foreign_key_check") as unknown[];
    if (violations.length > 0) throw new Error(`${violations.length} foreign key violations`);
    db.exec("commit");
  } finally {
    db.close();
  }
}

const NOW = "'2026-01-01T00:00:00.000Z'";

const REBUILD_SQL = `
create table onboarding_sessions_new (id integer primary key autoincrement, user_id varchar(255) not null unique,
  current_step integer default 1 not null, progress double precision default 0 not null, started_at text not null,
  updated_at text not null, completed_at text, onboarding_type varchar(32));
create table step_states_new (session_id integer not null references onboarding_sessions (id) on delete cascade,
  step_number integer not null check (step_number between 1 and 6), status varchar(16) not null, completed_at text,
  validation_errors text not null, updated_at text not null, constraint step_states_pk primary key (session_id, step_number));
create table api_keys_new (id integer primary key autoincrement, session_id integer not null references onboarding_sessions (id)
  on delete cascade, provider varchar(64) not null, key_ciphertext text not null, key_last4 varchar(4) not null,
  key_version integer not null, created_at text not null, updated_at text not null,
  constraint api_keys_session_provider_unique unique (session_id, provider));
create table website_analyses_new (id integer primary key autoincrement, session_id integer not null unique
  references onboarding_sessions (id) on delete cascade, website_url varchar(2048) not null, analysis_date text,
  writing_style text, content_characteristics text, target_audience text, content_type text, recommended_settings text,
  brand_analysis text, content_strategy_insights text, crawl_result text, style_patterns text, style_guidelines text,
  status varchar(50) default 'completed' not null, error_message text, warning_message text, created_at text not null,
  updated_at text not null);
create table research_preferences_new (id integer primary key autoincrement, session_id integer not null unique
  references onboarding_sessions (id) on delete cascade, research_depth varchar(50) not null, content_types text not null,
  auto_research integer not null, factual_content integer not null, created_at text not null, updated_at text not null);
create table persona_data_new (id integer primary key autoincrement, session_id integer not null unique
  references onboarding_sessions (id) on delete cascade, core_persona text, platform_personas text, quality_metrics text,
  selected_platforms text, created_at text not null, updated_at text not null);
create table platform_integrations_new (id integer primary key autoincrement, session_id integer not null unique
  references onboarding_sessions (id) on delete cascade, primary_website varchar(2048), website_platforms text not null,
  analytics_platforms text not null, social_platforms text not null, extra_settings text, created_at text not null,
  updated_at text not null);

insert into onboarding_sessions_new (id, user_id, current_step, progress, started_at, updated_at)
  select id, cast(user_id as text), coalesce(current_step, 1), coalesce(progress, 0),
         coalesce(started_at, updated_at, ${NOW}), coalesce(updated_at, started_at, ${NOW}) from onboarding_sessions;
insert into api_keys_new (id, session_id, provider, key_ciphertext, key_last4, key_version, created_at, updated_at)
  select id, session_id, provider, "key", case when length("key") > 4 then substr("key", -4) else '' end, 0,
         coalesce(created_at, updated_at, ${NOW}), coalesce(updated_at, created_at, ${NOW}) from api_keys;
insert into website_analyses_new (id, session_id, website_url, analysis_date, writing_style, content_characteristics,
    target_audience, content_type, recommended_settings, crawl_result, style_patterns, style_guidelines, status,
    error_message, warning_message, created_at, updated_at)
  select id, session_id, website_url, analysis_date, writing_style, content_characteristics, target_audience, content_type,
         recommended_settings, crawl_result, style_patterns, style_guidelines, coalesce(status, 'completed'), error_message,
         warning_message, coalesce(created_at, updated_at, ${NOW}), coalesce(updated_at, created_at, ${NOW})
  from website_analyses;
insert into research_preferences_new (id, session_id, research_depth, content_types, auto_research, factual_content, created_at, updated_at)
  select id, session_id, research_depth, coalesce(content_types, '[]'), coalesce(auto_research, 1), coalesce(factual_content, 1),
         coalesce(created_at, updated_at, ${NOW}), coalesce(updated_at, created_at, ${NOW}) from research_preferences;
insert into persona_data_new (id, session_id, core_persona, platform_personas, quality_metrics, selected_platforms, created_at, updated_at)
  select id, session_id, core_persona, platform_personas, quality_metrics, selected_platforms,
         coalesce(created_at, updated_at, ${NOW}), coalesce(updated_at, created_at, ${NOW}) from persona_data;
insert into step_states_new (session_id, step_number, status, completed_at, validation_errors, updated_at)
  select s.id, n.step, case when n.step < s.current_step then 'completed' else 'in_progress' end,
         case when n.step < s.current_step then s.updated_at end, '[]', s.updated_at
  from onboarding_sessions_new s cross join (select 1 as step union all select 2 union all select 3 union all select 4 union all select 5) as n
  where n.step < s.current_step
     or (n.step = 1 and exists (select 1 from api_keys_new d where d.session_id = s.id))
     or (n.step = 2 and exists (select 1 from website_analyses_new d where d.session_id = s.id))
     or (n.step = 3 and exists (select 1 from research_preferences_new d where d.session_id = s.id))
     or (n.step = 4 and exists (select 1 from persona_data_new d where d.session_id = s.id));
`;

const DROP_AND_RENAME = ["api_keys", "website_analyses", "research_preferences", "persona_data", "onboarding_sessions"]
  .map((table) => `drop table ${table};`)
  .concat(
    ["onboarding_sessions", "step_states", "api_keys", "website_analyses", "research_preferences", "persona_data", "platform_integrations"].map(
      (table) => `alter table ${table}_new rename to ${table};`,
    ),
  )
  .join("\n");
