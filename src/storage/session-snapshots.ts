import { CompiledQuery, type Kysely } from "kysely";
import type { SqlDialect } from "../db/database.js";
import { SESSION_CHILD_TABLES, type SessionChildTable } from "../db/session-child-tables.js";
import type { Tables } from "../db/tables.js";
import type { SessionRow } from "./session-rows.js";
import { postgresSnapshotSql } from "./snapshot-sql/postgres-snapshot-sql.js";
import { sqliteSnapshotSql } from "./snapshot-sql/sqlite-snapshot-sql.js";
import type { SnapshotSql } from "./snapshot-sql/snapshot-sql.js";

/** One column-name → value object per row, as the driver would have given the row. */
export type ChildRow = Readonly<Record<string, unknown>>;

export interface SessionSnapshot {
  readonly session: SessionRow;
  readonly rows: Readonly<Record<SessionChildTable, readonly ChildRow[]>>;
}

/**
 * Sessions with all their rows, one statement for any number of users (see SnapshotSql): a
 * summary is one round trip, and a save reads (and on PostgreSQL locks) what it changes in one.
 */
export class SessionSnapshots {
  readonly #dialect: SqlDialect;
  #sql: Promise<SnapshotSql> | undefined;

  constructor(dialect: SqlDialect) {
    this.#dialect = dialect;
  }

  /** The snapshots of those users who have a session; `lock` (first locking their sessions) only inside a write transaction. */
  async read(db: Kysely<Tables>, userIds: readonly string[], options: { readonly lock: boolean }): Promise<SessionSnapshot[]> {
    const statements = await this.#statements(db);
    // Only the users whose session was there to lock can have one: a user's first save reads nothing.
    const present = options.lock && statements.lock !== undefined && userIds.length > 0 ? await lockSessions(db, statements, userIds) : userIds;
    if (present.length === 0) return [];
    const query =
      present.length === 1
        ? CompiledQuery.raw(statements.one, [present[0]])
        : CompiledQuery.raw(statements.many, [statements.manyParameter(present)]);
    const { rows } = await db.executeQuery<Record<string, unknown>>(query);
    return rows.map(snapshotOf);
  }

  /**
   * Built at the first read, after migrations: SQLite's statement names the columns the tables
   * have, read through `db` (inside a transaction, SQLite's one connection is the transaction's).
   */
  #statements(db: Kysely<Tables>): Promise<SnapshotSql> {
    this.#sql ??= (this.#dialect === "sqlite" ? sqliteSnapshotSql(db) : Promise.resolve(postgresSnapshotSql())).catch(
      (error: unknown) => {
        // A database that was away at the first read is asked again at the next.
        this.#sql = undefined;
        throw error;
      },
    );
    return this.#sql;
  }
}

async function lockSessions(db: Kysely<Tables>, statements: SnapshotSql, userIds: readonly string[]): Promise<string[]> {
  const { rows } = await db.executeQuery<{ user_id: string }>(CompiledQuery.raw(statements.lock as string, [statements.manyParameter(userIds)]));
  return rows.map((row) => row.user_id);
}

function snapshotOf(row: Record<string, unknown>): SessionSnapshot {
  const rows = {} as Record<SessionChildTable, readonly ChildRow[]>;
  for (const table of SESSION_CHILD_TABLES) {
    const value = row[table];
    // SQLite gives the JSON text; PostgreSQL's driver has parsed its json already.
    rows[table] = (typeof value === "string" ? JSON.parse(value) : value) as ChildRow[];
  }
  // The child columns stay on the session object unread: copying it without them costs more than they weigh.
  return { session: row as unknown as SessionRow, rows };
}
