import { sql, type Kysely } from "kysely";
import type { Database } from "./database.js";
import type { Tables } from "./tables.js";
import type { Migration } from "./migration.js";
import { MIGRATIONS } from "./migrations/migration-list.js";

export interface MigrationReport {
  readonly applied: readonly { version: number; name: string }[];
  readonly currentVersion: number;
}

/**
 * Applies pending migrations in one transaction under a lock: on PostgreSQL an advisory lock
 * scoped to the current schema, on SQLite the write lock that `begin immediate` takes. A
 * second process migrating at the same time waits, then finds nothing left to apply.
 */
export async function migrateToLatest(
  database: Database,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<MigrationReport> {
  assertOrdered(migrations);
  return database.writeTransaction(async (trx) => {
    if (database.dialect === "postgres") {
      await sql`select pg_advisory_xact_lock(hashtext('onboarding-service:migrate:' || current_schema()))`.execute(trx);
    }
    await createLedger(trx);
    const done = new Set(await appliedVersions(trx));
    const applied: { version: number; name: string }[] = [];
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      await migration.up(trx, database.dialect);
      await trx
        .insertInto("schema_migrations")
        .values({ version: migration.version, name: migration.name, applied_at: new Date().toISOString() })
        .execute();
      applied.push({ version: migration.version, name: migration.name });
    }
    return { applied, currentVersion: Math.max(0, ...done, ...applied.map((m) => m.version)) };
  });
}

export interface MigrationState {
  /** The highest version applied; 0 for a database never migrated. */
  readonly currentVersion: number;
  readonly pending: readonly { version: number; name: string }[];
}

/** What `migrateToLatest` would apply, read without writing anything (no ledger is created). */
export async function migrationState(database: Database, migrations: readonly Migration[] = MIGRATIONS): Promise<MigrationState> {
  const done = new Set(await database.withoutTransaction(async (db) => ((await hasLedger(db, database.dialect)) ? appliedVersions(db) : [])));
  const pending = migrations.filter((migration) => !done.has(migration.version)).map(({ version, name }) => ({ version, name }));
  return { currentVersion: Math.max(0, ...done), pending };
}

/** Looked up where the connection looks (PostgreSQL: its search_path), not in every schema. */
async function hasLedger(db: Kysely<Tables>, dialect: Database["dialect"]): Promise<boolean> {
  const found =
    dialect === "postgres"
      ? await sql<{ found: string | null }>`select to_regclass('schema_migrations')::text as found`.execute(db)
      : await sql<{ found: string | null }>`select name as found from sqlite_master where type = 'table' and name = 'schema_migrations'`.execute(db);
  return found.rows.some((row) => row.found !== null);
}

async function createLedger(trx: Kysely<Tables>): Promise<void> {
  await trx.schema
    .createTable("schema_migrations")
    .ifNotExists()
    .addColumn("version", "integer", (c) => c.primaryKey())
    .addColumn("name", "varchar(255)", (c) => c.notNull())
    .addColumn("applied_at", "varchar(64)", (c) => c.notNull())
    .execute();
}

async function appliedVersions(trx: Kysely<Tables>): Promise<number[]> {
  const rows = await sql<{ version: number }>`select version from schema_migrations`.execute(trx);
  return rows.rows.map((row) => Number(row.version));
}

function assertOrdered(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    const previous = migrations[index - 1];
    if (previous !== undefined && migration.version <= previous.version) {
      throw new Error(`migration ${migration.name} (version ${migration.version}) is not after version ${previous.version}`);
    }
  });
}
