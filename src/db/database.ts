import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { Kysely, PostgresDialect, SqliteDialect, sql, type Dialect, type LogEvent, type Transaction } from "kysely";
import { createRequire } from "node:module";
import type pg from "pg";
import { IN_MEMORY_SQLITE, type DatabaseLocation } from "../config/database-location.js";
import { withConnectionCounts, type ConnectionCounts } from "./connection-counting-dialect.js";
import { typingOutages, withTypedOutages } from "./outage-typed-dialect.js";
import { withStatementCache } from "./statement-cache.js";
import type { Tables } from "./tables.js";

export type SqlDialect = "sqlite" | "postgres";
export type Executor = Kysely<Tables> | Transaction<Tables>;

/**
 * The application's handle on its database, whichever engine is behind it. The transactions and
 * `ping` fail with `DatabaseUnavailable` when the database cannot be reached or drops the
 * connection, and with the driver's own error otherwise.
 */
export interface Database {
  readonly dialect: SqlDialect;
  /** Direct access for the CLI and tests; the app reads and writes through the transactions. */
  readonly kysely: Kysely<Tables>;
  /** Serialised with every other write of the same user; SQLite takes the write lock up front. */
  writeTransaction<T>(work: (trx: Kysely<Tables>) => Promise<T>): Promise<T>;
  /** One consistent snapshot for reads that span several tables. */
  readTransaction<T>(work: (trx: Kysely<Tables>) => Promise<T>): Promise<T>;
  /** Statements outside any transaction (one statement is its own snapshot). */
  withoutTransaction<T>(work: (db: Kysely<Tables>) => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  /** Connections in use and callers waiting for one, now (GET /metrics). */
  connections(): ConnectionCounts;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** PostgreSQL only: the schema every unqualified name resolves to (tests give each run its own). */
  readonly schema?: string;
  readonly poolSize?: number;
  /** PostgreSQL only: told of each connection the server ended (restart, failover, `pg_terminate_backend`). */
  readonly onConnectionLost?: (error: Error) => void;
  /** Told of every statement run (not the driver's own BEGIN and COMMIT): tests count round trips with it. */
  readonly onStatement?: (sql: string) => void;
}

const DEFAULT_POOL_SIZE = 10;

export function openDatabase(location: DatabaseLocation, options: OpenOptions = {}): Database {
  const onStatement = options.onStatement === undefined ? {} : { onStatement: options.onStatement };
  return location.dialect === "sqlite"
    ? databaseFromDialect("sqlite", new SqliteDialect({ database: withStatementCache(openSqliteFile(location.path)) }), onStatement)
    : databaseFromDialect("postgres", new PostgresDialect({ pool: openPostgresPool(location.url, options) }), {
        maxConnections: options.poolSize ?? DEFAULT_POOL_SIZE,
        ...onStatement,
      });
}

function openSqliteFile(path: string): SqliteDatabase.Database {
  if (path !== IN_MEMORY_SQLITE) mkdirSync(dirname(path), { recursive: true });
  const connection = new SqliteDatabase(path);
  // WAL lets readers run beside the one writer; the timeout makes a second process wait for
  // the write lock instead of failing at once.
  connection.pragma("journal_mode = WAL");
  connection.pragma("foreign_keys = ON");
  connection.pragma("busy_timeout = 5000");
  connection.pragma("synchronous = NORMAL");
  return connection;
}

/** The PostgreSQL driver, loaded only when a PostgreSQL database is opened (an SQLite server never loads it). */
const require = createRequire(import.meta.url);

function openPostgresPool(url: string, options: OpenOptions): pg.Pool {
  const { Pool } = require("pg") as typeof pg;
  const pool = new Pool({
    connectionString: url,
    max: options.poolSize ?? DEFAULT_POOL_SIZE,
    connectionTimeoutMillis: 5_000,
    ...(options.schema === undefined ? {} : { options: `-c search_path=${quoteIdentifier(options.schema)}` }),
  });
  // A connection the server ends emits 'error' on its client, and again on the pool while idle.
  // Unhandled, either event kills the process. Handled, the query in flight fails (an answer of
  // 503) and the pool drops the dead client when it comes back; the next query connects anew.
  const onConnectionLost = options.onConnectionLost ?? (() => undefined);
  pool.on("connect", (client) => client.on("error", onConnectionLost));
  pool.on("error", () => undefined); // the client's own listener has seen it
  return pool;
}

export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export interface DialectOptions {
  /** The pool's size; SQLite has one connection. */
  readonly maxConnections?: number;
  /** Told of every statement run (see OpenOptions). */
  readonly onStatement?: (sql: string) => void;
}

export function databaseFromDialect(dialect: SqlDialect, kyselyDialect: Dialect, options: DialectOptions = {}): Database {
  const counted = withConnectionCounts(kyselyDialect, options.maxConnections ?? 1);
  const { onStatement } = options;
  // Every query of this Kysely, whoever issues it, reports an outage as DatabaseUnavailable.
  const kysely = new Kysely<Tables>({
    dialect: withTypedOutages(counted.dialect),
    ...(onStatement === undefined ? {} : { log: (event: LogEvent) => onStatement(event.query.sql) }),
  });
  return Object.freeze({
    dialect,
    kysely,
    writeTransaction: <T>(work: (trx: Kysely<Tables>) => Promise<T>) =>
      typingOutages(() => (dialect === "sqlite" ? sqliteTransaction(kysely, "begin immediate", work) : kysely.transaction().execute(work))),
    readTransaction: <T>(work: (trx: Kysely<Tables>) => Promise<T>) =>
      typingOutages(() =>
        dialect === "sqlite"
          ? sqliteTransaction(kysely, "begin", work)
          : kysely.transaction().setIsolationLevel("repeatable read").setAccessMode("read only").execute(work),
      ),
    withoutTransaction: <T>(work: (db: Kysely<Tables>) => Promise<T>) => typingOutages(() => work(kysely)),
    ping: () =>
      typingOutages(async () => {
        await sql`select 1`.execute(kysely);
      }),
    connections: counted.counts,
    close: () => kysely.destroy(),
  });
}

/**
 * Kysely's own SQLite transactions begin DEFERRED; a deferred transaction that reads and then
 * writes fails with SQLITE_BUSY instead of waiting when another process wrote in between.
 */
async function sqliteTransaction<T>(
  kysely: Kysely<Tables>,
  begin: "begin" | "begin immediate",
  work: (trx: Kysely<Tables>) => Promise<T>,
): Promise<T> {
  return kysely.connection().execute(async (connection) => {
    await sql.raw(begin).execute(connection);
    try {
      const result = await work(connection);
      await sql`commit`.execute(connection);
      return result;
    } catch (error) {
      await sql`rollback`.execute(connection);
      throw error;
    }
  });
}
