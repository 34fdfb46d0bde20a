import type { LegacyTableName } from "../../cli/upgrade-legacy/legacy/legacy-table-plan.js";

/** Stands for the upgrade's start time in expected values (NOT NULL timestamps the legacy row left NULL). */
export const UPGRADE_TIME = "<upgrade-time>";

export type LegacyValue = string | number | null;

export interface FixtureRow {
  /** Legacy column → value as the old platform stored it. */
  readonly values: Readonly<Record<string, LegacyValue>>;
  /** What the upgrade must do with the row. */
  readonly fate: "kept" | "merged" | "orphan" | "superseded";
  /** Kept rows: the values ours must hold where they differ from the legacy ones. */
  readonly expected?: Readonly<Record<string, unknown>>;
  /** Values PostgreSQL's legacy shape cannot hold differently (int4 user ids, enforced foreign keys). */
  readonly postgres?: Readonly<Record<string, LegacyValue>> | "absent";
}

const at = (date: string) => ({ created_at: date, updated_at: date });

/** About 200 KB of JSON with non-ASCII text, as a crawl result of the old platform could be. */
export const LARGE_JSON = JSON.stringify({
  pages: Array.from({ length: 1_750 }, (_, index) => ({
    url: `https://example.com/page/${index}`,
    text: `Page ${index}: ünïcödé text, 日本語, emoji 🎉, quotes "double" and 'single'.`,
  })),
});

/**
 * The legacy rows every upgrade test starts from: integer ids, text ids in the INTEGER column,
 * one user with three sessions, NULL and '{}' JSON, unicode, a 200 KB value, orphans,
 * plaintext keys (one of 3 characters, one non-ASCII, one of 207 characters).
 */
export const FIXTURE_ROWS: Readonly<Record<LegacyTableName, readonly FixtureRow[]>> = {
  onboarding_sessions: [
    {
      values: { id: 1, user_id: 42, current_step: 3, progress: 33.3, started_at: "2024-01-01 10:00:00", updated_at: "2024-01-02 10:00:00" },
      fate: "kept",
      // Merged with sessions 3 and 6: furthest step and progress, latest update.
      expected: { current_step: 3, progress: 50, updated_at: "2024-03-01T09:30:00.123456" },
    },
    {
      values: { id: 2, user_id: "user_2abc", current_step: 2, progress: 16.7, started_at: "2024-02-01 08:00:00", updated_at: "2024-02-01 09:00:00" },
      fate: "kept",
      postgres: { user_id: 1002 },
    },
    {
      // Text '42' in an INTEGER column: SQLite stores it as the integer 42, the same user as session 1.
      values: { id: 3, user_id: "42", current_step: 2, progress: 50, started_at: "2024-03-01 09:00:00", updated_at: "2024-03-01T09:30:00.123456" },
      fate: "merged",
      postgres: { user_id: 42 },
    },
    {
      values: { id: 4, user_id: 7, current_step: 6, progress: 83.3, started_at: "2024-04-01 00:00:00", updated_at: "2024-04-02 00:00:00" },
      fate: "kept",
    },
    {
      values: { id: 5, user_id: "user_ünï_日本 🎉", current_step: null, progress: null, started_at: null, updated_at: "2024-05-05 05:05:05" },
      fate: "kept",
      expected: { current_step: 1, progress: 0, started_at: "2024-05-05 05:05:05" },
      postgres: { user_id: 1005 },
    },
    {
      values: { id: 6, user_id: 42, current_step: 1, progress: 0, started_at: "2023-12-31 00:00:00", updated_at: "2023-12-31 01:00:00" },
      fate: "merged",
    },
    {
      values: { id: 7, user_id: 99, current_step: 4, progress: 50, started_at: "2024-06-01 00:00:00", updated_at: "2024-06-01 00:00:00" },
      fate: "kept",
    },
  ],
  api_keys: [
    { values: { id: 1, session_id: 1, provider: "openai", key: "sk-openai-old-1111", ...at("2024-01-02 10:00:00") }, fate: "superseded" },
    {
      values: { id: 2, session_id: 3, provider: "openai", key: "sk-openai-new-2222", ...at("2024-03-01 09:00:00") },
      fate: "kept",
      expected: { session_id: 1 },
    },
    {
      values: { id: 3, session_id: 3, provider: "gemini", key: "AIzaGemini-3333", ...at("2024-03-01 09:00:00") },
      fate: "kept",
      expected: { session_id: 1 },
    },
    { values: { id: 4, session_id: 2, provider: "anthropic", key: `sk-ant-'quote"-4444`, ...at("2024-02-01 09:00:00") }, fate: "kept" },
    { values: { id: 5, session_id: null, provider: "openai", key: "sk-orphan-null-5555", ...at("2024-02-01 09:00:00") }, fate: "orphan" },
    {
      values: { id: 6, session_id: 999, provider: "openai", key: "sk-orphan-999-6666", ...at("2024-02-01 09:00:00") },
      fate: "orphan",
      postgres: "absent",
    },
    { values: { id: 7, session_id: 4, provider: "mistral", key: "q~!", ...at("2024-04-01 00:00:00") }, fate: "kept" },
    {
      values: { id: 8, session_id: 5, provider: "openai", key: `sk-${"x".repeat(200)}tail`, created_at: null, updated_at: null },
      fate: "kept",
      expected: { created_at: UPGRADE_TIME, updated_at: UPGRADE_TIME },
    },
    { values: { id: 9, session_id: 6, provider: "openai", key: "sk-oldest-9999", ...at("2023-12-31 01:00:00") }, fate: "superseded" },
    { values: { id: 10, session_id: 7, provider: "exa", key: "exa-ünïcödé-kéy-0000", ...at("2024-06-01 00:00:00") }, fate: "kept" },
  ],
  website_analyses: [
    { values: analysis(1, 1, "2024-01-02 10:00:00", { writing_style: '{"tone":"formal"}', status: null }), fate: "superseded" },
    {
      values: analysis(2, 3, "2024-03-01 09:00:00", {
        website_url: "https://example.com/ünï",
        writing_style: '{"tone":"héllo 日本 🎉"}',
        content_characteristics: "{}",
        target_audience: "42",
        recommended_settings: '{"a":[1,2,3]}',
        crawl_result: LARGE_JSON,
        style_patterns: "[]",
        warning_message: "partial crawl",
      }),
      fate: "kept",
      expected: { session_id: 1 },
    },
    { values: analysis(3, 2, "2024-02-01 09:00:00", { status: null }), fate: "kept", expected: { status: "completed" } },
    { values: analysis(4, 2, "2024-01-15 00:00:00", {}), fate: "superseded" },
    { values: analysis(5, 999, "2024-01-15 00:00:00", {}), fate: "orphan", postgres: "absent" },
    {
      values: analysis(6, 7, "2024-06-01 00:00:00", { style_patterns: "not json at all", error_message: "timeout" }),
      fate: "kept",
      postgres: { style_patterns: '"a JSON string"' },
    },
  ],
  research_preferences: [
    {
      values: preferences(1, 1, "Standard", '["blog","news"]', 1, 0, { writing_style: '{"x":1}', target_audience: "{}" }),
      fate: "kept",
    },
    {
      values: preferences(2, 4, "Expert", "null", null, null, {}),
      fate: "kept",
      expected: { content_types: "[]", auto_research: 1, factual_content: 1 },
    },
    { values: preferences(3, 7, "Basic", "{}", 0, 1, {}), fate: "kept" },
  ],
  persona_data: [
    {
      values: persona(1, 4, '{"name":"Ünïcödé Persona","traits":["a","b"]}', "{}", null, '["linkedin","blog"]', "2024-04-02 00:00:00"),
      fate: "kept",
    },
    {
      values: persona(2, 6, null, null, null, null, null),
      fate: "kept",
      expected: { session_id: 1, created_at: UPGRADE_TIME, updated_at: UPGRADE_TIME },
    },
    { values: persona(3, 12345, "{}", null, null, null, "2024-01-01 00:00:00"), fate: "orphan", postgres: "absent" },
  ],
};

function analysis(id: number, sessionId: number, time: string, values: Record<string, LegacyValue>): Record<string, LegacyValue> {
  const json = ["writing_style", "content_characteristics", "target_audience", "content_type", "recommended_settings"];
  const rest = ["crawl_result", "style_patterns", "style_guidelines", "error_message", "warning_message"];
  const base: Record<string, LegacyValue> = { id, session_id: sessionId, website_url: `https://site-${id}.example`, analysis_date: time };
  for (const column of [...json, ...rest]) base[column] = null;
  return { ...base, status: "completed", ...at(time), ...values };
}

function preferences(
  id: number,
  sessionId: number,
  depth: string,
  contentTypes: string,
  autoResearch: number | null,
  factualContent: number | null,
  dropped: Record<string, LegacyValue>,
): Record<string, LegacyValue> {
  const empty = { writing_style: null, content_characteristics: null, target_audience: null, recommended_settings: null };
  return {
    id,
    session_id: sessionId,
    research_depth: depth,
    content_types: contentTypes,
    auto_research: autoResearch,
    factual_content: factualContent,
    ...empty,
    ...dropped,
    ...at("2024-03-03 03:03:03"),
  };
}

function persona(
  id: number,
  sessionId: number,
  core: string | null,
  platforms: string | null,
  metrics: string | null,
  selected: string | null,
  time: string | null,
): Record<string, LegacyValue> {
  return {
    id,
    session_id: sessionId,
    core_persona: core,
    platform_personas: platforms,
    quality_metrics: metrics,
    selected_platforms: selected,
    created_at: time,
    updated_at: time,
  };
}
