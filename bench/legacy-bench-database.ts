import SqliteDatabase from "better-sqlite3";
import { LEGACY_SQLITE_SCHEMA } from "../src/test-support/legacy/legacy-schema-sql.js";

const PROVIDERS = ["openai", "gemini", "anthropic", "mistral"] as const;
const DEPTHS = ["Basic", "Standard", "Comprehensive", "Expert"] as const;

/**
 * A legacy SQLite database of `sessions` sessions, each with one api_keys, website_analyses,
 * research_preferences and persona_data row: one transaction, prepared statements. A third of
 * the user ids are text (Clerk ids), the rest integers, as real legacy files mix them.
 */
export function generateLegacyDatabase(path: string, sessions: number): void {
  const db = new SqliteDatabase(path);
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = OFF");
    db.exec(LEGACY_SQLITE_SCHEMA);
    db.transaction(() => insertRows(db, sessions))();
    db.pragma("wal_checkpoint(TRUNCATE)");
    db.pragma("journal_mode = DELETE");
  } finally {
    db.close();
  }
}

function insertRows(db: SqliteDatabase.Database, sessions: number): void {
  const session = db.prepare(
    "insert into onboarding_sessions (id, user_id, current_step, progress, started_at, updated_at) values (?, ?, ?, ?, ?, ?)",
  );
  const key = db.prepare(`insert into api_keys (session_id, provider, "key", created_at, updated_at) values (?, ?, ?, ?, ?)`);
  const analysis = db.prepare(
    `insert into website_analyses (session_id, website_url, analysis_date, writing_style, content_characteristics,
       target_audience, content_type, status, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, 'completed', ?, ?)`,
  );
  const preferences = db.prepare(
    `insert into research_preferences (session_id, research_depth, content_types, auto_research, factual_content,
       created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?)`,
  );
  const persona = db.prepare(
    `insert into persona_data (session_id, core_persona, platform_personas, quality_metrics, selected_platforms,
       created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?)`,
  );
  for (let id = 1; id <= sessions; id += 1) {
    const time = timestamp(id);
    const step = 1 + (id % 6);
    session.run(id, id % 3 === 0 ? `user_${id.toString(36)}clerk` : id, step, Math.round(((step - 1) / 6) * 1000) / 10, time, time);
    key.run(id, PROVIDERS[id % 4], `sk-bench-${id}-${(id * 2654435761) % 4294967296}`, time, time);
    analysis.run(
      id,
      `https://site-${id}.example.com`,
      time,
      `{"tone":"friendly","formality":${id % 10},"person":"we"}`,
      `{"sentence_length":${12 + (id % 9)},"reading_level":"grade ${6 + (id % 7)}"}`,
      id % 5 === 0 ? null : `{"audience":"small businesses","expertise":"beginner"}`,
      id % 7 === 0 ? "{}" : `{"type":"blog"}`,
      time,
      time,
    );
    preferences.run(id, DEPTHS[id % 4], `["blog","news"]`, id % 2, 1, time, time);
    persona.run(id, `{"name":"Persona ${id}","voice":"warm"}`, "{}", `{"completeness":${id % 101}}`, `["linkedin","blog"]`, time, time);
  }
}

function timestamp(id: number): string {
  return new Date(Date.UTC(2024, 0, 1) + id * 1000).toISOString().replace("T", " ").slice(0, 19);
}
