import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type Dialect,
} from "kysely";
import type { SqlDialect } from "../../../db/database.js";
import { initialSchema } from "../../../db/migrations/0001-initial-schema.js";
import type { Tables } from "../../../db/tables.js";

/** Migration 1's CREATE TABLE statements, keyed by table name, in the order it runs them. */
export type SchemaDdl = ReadonlyMap<string, string>;

/**
 * The statements migration 1 runs, compiled by Kysely against a driver that executes nothing.
 * The upgrade creates our tables from these instead of a second hand-written copy of the
 * schema, so the two cannot drift apart.
 */
export async function captureInitialSchemaDdl(dialect: SqlDialect): Promise<SchemaDdl> {
  const statements = await capture(dialect, (db) => initialSchema.up(db, dialect));
  const ddl = new Map<string, string>();
  for (const statement of statements) {
    const table = /^create table "([^"]+)"/.exec(statement)?.[1];
    if (table === undefined) throw new Error(`migration 1 ran a statement the upgrade cannot replay: ${statement}`);
    ddl.set(table, statement);
  }
  return ddl;
}

async function capture(dialect: SqlDialect, work: (db: Kysely<Tables>) => Promise<unknown>): Promise<string[]> {
  const statements: string[] = [];
  const db = new Kysely<Tables>({
    dialect: compileOnly(dialect),
    log: (event) => {
      if (event.query.parameters.length > 0) throw new Error(`unexpected parameters in DDL: ${event.query.sql}`);
      statements.push(event.query.sql);
    },
  });
  try {
    await work(db);
  } finally {
    await db.destroy();
  }
  return statements;
}

function compileOnly(dialect: SqlDialect): Dialect {
  const sqlite = dialect === "sqlite";
  return {
    createAdapter: () => (sqlite ? new SqliteAdapter() : new PostgresAdapter()),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => (sqlite ? new SqliteIntrospector(db) : new PostgresIntrospector(db)),
    createQueryCompiler: () => (sqlite ? new SqliteQueryCompiler() : new PostgresQueryCompiler()),
  };
}
