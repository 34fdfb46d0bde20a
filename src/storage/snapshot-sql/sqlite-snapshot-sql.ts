import { sql, type Kysely } from "kysely";
import { SESSION_CHILD_TABLES } from "../../db/session-child-tables.js";
import type { Tables } from "../../db/tables.js";
import { quotedName, type SnapshotSql } from "./snapshot-sql.js";

/**
 * SQLite has no row-to-JSON: each child row becomes `json_object('column', value, …)` over the
 * columns the table has now (read from the schema once), aggregated by `json_group_array`. Text
 * stays text (JSON columns too), so a row reads back exactly as the driver would have given it.
 * The write transaction is IMMEDIATE: it holds the database's write lock already.
 */
export async function sqliteSnapshotSql(db: Kysely<Tables>): Promise<SnapshotSql> {
  const children: string[] = [];
  for (const table of SESSION_CHILD_TABLES) {
    const { rows } = await sql<{ name: string }>`select name from pragma_table_info(${table})`.execute(db);
    const fields = rows.map(({ name }) => `'${name.replaceAll("'", "''")}', t.${quotedName(name)}`).join(", ");
    children.push(`(select json_group_array(json_object(${fields})) from ${quotedName(table)} t where t.session_id = s.id) as ${quotedName(table)}`);
  }
  const select = `select s.*, ${children.join(", ")} from onboarding_sessions s where `;
  return {
    one: `${select}s.user_id = ?`,
    many: `${select}s.user_id in (select value from json_each(?))`,
    manyParameter: (userIds) => JSON.stringify(userIds),
    lock: undefined,
  };
}
