import { sql } from "kysely";
import { columnType } from "../column-types.js";
import type { Migration } from "../migration.js";

/**
 * Step 4's generation tasks (POST /step4/generate-personas-async), kept in the database so that
 * a poll landing on any app instance finds the task. Rows are keyed by the token's user id, not
 * by a session: in `file` mode the database holds no sessions, yet tasks live here too.
 */
export const personaTasks: Migration = {
  version: 2,
  name: "persona-tasks",
  async up(db, dialect) {
    await db.schema
      .createTable("persona_tasks")
      .addColumn("task_id", "varchar(36)", (c) => c.primaryKey())
      .addColumn("user_id", "varchar(255)", (c) => c.notNull())
      .addColumn("status", "varchar(16)", (c) => c.notNull().check(sql`status in ('pending', 'running', 'completed', 'failed')`))
      .addColumn("progress", "integer", (c) => c.notNull().check(sql`progress between 0 and 100`))
      .addColumn("progress_messages", columnType(dialect, "json"), (c) => c.notNull())
      .addColumn("result", columnType(dialect, "json"))
      .addColumn("error", "text")
      .addColumn("created_at", columnType(dialect, "timestamp"), (c) => c.notNull())
      .addColumn("updated_at", columnType(dialect, "timestamp"), (c) => c.notNull())
      .execute();
    // One unfinished task per user, across every instance: a second start finds the first.
    // The same partial-index syntax is valid on SQLite and PostgreSQL.
    await sql`create unique index persona_tasks_one_active_per_user on persona_tasks (user_id) where status in ('pending', 'running')`.execute(db);
    await db.schema.createIndex("persona_tasks_user_id").on("persona_tasks").column("user_id").execute();
    await db.schema.createIndex("persona_tasks_updated_at").on("persona_tasks").column("updated_at").execute();
  },
};
