import { performance } from "node:perf_hooks";
import SqliteDatabase from "better-sqlite3";

/**
 * The ceiling of a step-3 save on SQLite: the same two writes as PUT /step/3 (the preferences row
 * and the step's state), prepared once, in one IMMEDIATE transaction each, with the server's
 * pragmas, for `seconds` on the bench's own database file. Transactions per second.
 */
export function sqliteStepThreeWriteCeiling(path: string, seconds: number): number {
  const db = new SqliteDatabase(path);
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("foreign_keys = ON");
    db.pragma("synchronous = NORMAL");
    const sessions = (db.prepare("select id from onboarding_sessions order by id").all() as { id: number }[]).map((row) => row.id);
    if (sessions.length === 0) throw new Error(`${path} holds no sessions to write to`);
    const preferences = db.prepare(
      `insert into research_preferences (session_id, research_depth, content_types, auto_research, factual_content, created_at, updated_at)
       values (?, 'Standard', '["blog","news"]', 1, 1, ?, ?)
       on conflict (session_id) do update set research_depth = excluded.research_depth, content_types = excluded.content_types,
         auto_research = excluded.auto_research, factual_content = excluded.factual_content, updated_at = excluded.updated_at`,
    );
    const stepState = db.prepare(
      `insert into step_states (session_id, step_number, status, completed_at, validation_errors, updated_at)
       values (?, 3, 'in_progress', null, '[]', ?)
       on conflict (session_id, step_number) do update set status = excluded.status, updated_at = excluded.updated_at`,
    );
    const save = db.transaction((sessionId: number, now: string) => {
      preferences.run(sessionId, now, now);
      stepState.run(sessionId, now);
    });
    let done = 0;
    const deadline = performance.now() + seconds * 1000;
    const started = performance.now();
    while (performance.now() < deadline) {
      for (let i = 0; i < 100; i++) save.immediate(sessions[done++ % sessions.length] as number, new Date().toISOString());
    }
    return done / ((performance.now() - started) / 1000);
  } finally {
    db.close();
  }
}
