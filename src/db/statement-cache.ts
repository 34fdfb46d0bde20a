import type SqliteDatabase from "better-sqlite3";
import type { SqliteDatabase as KyselySqliteDatabase, SqliteStatement } from "kysely";

/** Enough for every statement the service issues, and for a few batch sizes of the bulk ones. */
export const DEFAULT_STATEMENT_CACHE_SIZE = 256;

/**
 * Kysely's SQLite driver prepares every query anew, and preparing costs more than running a
 * small insert. This keeps the most recently used statements by SQL text. Reusing one is safe:
 * Kysely's driver runs one query at a time on its single connection (a mutex), better-sqlite3
 * resets a statement after each run, and SQLite re-prepares a statement itself when the schema
 * changes under it.
 */
export function withStatementCache(
  connection: SqliteDatabase.Database,
  capacity = DEFAULT_STATEMENT_CACHE_SIZE,
): KyselySqliteDatabase {
  const statements = new Map<string, SqliteStatement>();
  return {
    prepare(sql: string): SqliteStatement {
      const cached = statements.get(sql);
      if (cached !== undefined) {
        // Map keeps insertion order: moving a hit to the end makes the first entry the least recently used.
        statements.delete(sql);
        statements.set(sql, cached);
        return cached;
      }
      const statement = connection.prepare(sql);
      statements.set(sql, statement);
      if (statements.size > capacity) statements.delete(statements.keys().next().value as string);
      return statement;
    },
    close(): void {
      statements.clear();
      connection.close();
    },
  };
}
