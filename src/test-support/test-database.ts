import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PostgresDialect } from "kysely";
import pg from "pg";
import type { DatabaseLocation } from "../config/database-location.js";
import { databaseFromDialect, openDatabase, quoteIdentifier, type Database, type SqlDialect } from "../db/database.js";
import { migrateToLatest } from "../db/migrator.js";
import { PglitePool } from "./pglite-pool.js";

export const TEST_DIALECTS: readonly SqlDialect[] = ["sqlite", "postgres"];

const LOCAL_SERVER = "postgres://postgres@127.0.0.1:5432/test";

export interface TestDatabase {
  readonly database: Database;
  /** How another process reaches the same data; undefined on PGlite, which lives in this process. */
  readonly location: DatabaseLocation | undefined;
  /** PostgreSQL only: the schema that isolates this test's tables. */
  readonly schema: string | undefined;
  /** Where a test may put files of its own (progress files, backups); removed by cleanup. */
  readonly tempDir: string;
  cleanup(): Promise<void>;
}

/** The DATABASE_URL that gives a server process the same data: the SQLite file, or the server with this schema first on its search path. */
export function databaseUrlOf(db: TestDatabase): string {
  if (db.location === undefined) throw new Error("PGlite lives inside one process; a server process needs a database server or a file");
  if (db.location.dialect === "sqlite") return `sqlite:${db.location.path}`;
  const url = new URL(db.location.url);
  if (db.schema !== undefined) url.searchParams.set("options", `-c search_path=${db.schema}`);
  return url.toString();
}

/**
 * A fresh, migrated database of the given dialect for one test file: a new SQLite file, or a new
 * schema on PostgreSQL (TEST_DATABASE_URL, else the local server when it answers, else PGlite;
 * TEST_DATABASE_URL=pglite forces PGlite).
 */
export async function openTestDatabase(dialect: SqlDialect, options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const tempDir = mkdtempSync(join(tmpdir(), "onboarding-test-"));
  const opened = dialect === "sqlite" ? openSqlite(tempDir) : await openPostgres(tempDir);
  if (options.migrate !== false) await migrateToLatest(opened.database);
  return opened;
}

function openSqlite(tempDir: string): TestDatabase {
  const location: DatabaseLocation = { dialect: "sqlite", path: join(tempDir, "test.db") };
  const database = openDatabase(location);
  return { database, location, schema: undefined, tempDir, cleanup: () => closeAndRemove(database, tempDir) };
}

async function openPostgres(tempDir: string): Promise<TestDatabase> {
  const requested = process.env.TEST_DATABASE_URL;
  if (requested === "pglite") return openPglite(tempDir);
  const url = requested ?? ((await serverAnswers(LOCAL_SERVER)) ? LOCAL_SERVER : undefined);
  if (url === undefined) return openPglite(tempDir);
  const schema = `test_${randomBytes(6).toString("hex")}`;
  await runAdmin(url, `create schema ${quoteIdentifier(schema)}`);
  const location: DatabaseLocation = { dialect: "postgres", url };
  const database = openDatabase(location, { schema, poolSize: 20 });
  return {
    database,
    location,
    schema,
    tempDir,
    cleanup: async () => {
      await database.close();
      await runAdmin(url, `drop schema if exists ${quoteIdentifier(schema)} cascade`);
      rmSync(tempDir, { recursive: true, force: true });
    },
  };
}

async function openPglite(tempDir: string): Promise<TestDatabase> {
  const pglite = await PGlite.create();
  const database = databaseFromDialect("postgres", new PostgresDialect({ pool: new PglitePool(pglite) }));
  return { database, location: undefined, schema: undefined, tempDir, cleanup: () => closeAndRemove(database, tempDir) };
}

async function closeAndRemove(database: Database, tempDir: string): Promise<void> {
  await database.close();
  rmSync(tempDir, { recursive: true, force: true });
}

let serverProbe: Promise<boolean> | undefined;

function serverAnswers(url: string): Promise<boolean> {
  serverProbe ??= runAdmin(url, "select 1").then(
    () => true,
    () => false,
  );
  return serverProbe;
}

async function runAdmin(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
