import { SESSION_CHILD_TABLES } from "../../db/session-child-tables.js";
import { quotedName, type SnapshotSql } from "./snapshot-sql.js";

/**
 * PostgreSQL turns each child row into JSON itself (`json_agg` of the row): jsonb columns arrive
 * as JSON values and timestamps as ISO text, which the column codecs read as they read the
 * driver's own values. In a write transaction the session rows are locked first, by a statement
 * of their own (see SnapshotSql.lock), in id order so that two batches never wait on each other.
 */
export function postgresSnapshotSql(): SnapshotSql {
  const children = SESSION_CHILD_TABLES.map(
    (table) => `(select coalesce(json_agg(t), '[]'::json) from ${quotedName(table)} t where t.session_id = s.id) as ${quotedName(table)}`,
  );
  const select = `select s.*, ${children.join(", ")} from onboarding_sessions s where `;
  return {
    one: `${select}s.user_id = $1`,
    many: `${select}s.user_id = any($1)`,
    manyParameter: (userIds) => [...userIds],
    lock: "select user_id from onboarding_sessions where user_id = any($1) order by id for update",
  };
}
