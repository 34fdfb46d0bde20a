import { sql } from "kysely";
import type { Database } from "../../../db/database.js";
import { LEGACY_TABLES } from "../legacy/legacy-table-plan.js";
import type { LegacyBackup } from "../legacy-upgrader.js";
import { backupStamp } from "../shared/backup-naming.js";
import { quoted } from "../shared/quoted.js";
import { countOf, execute, type UpgradeExecutor } from "../shared/raw-sql.js";

/** PostgreSQL's limit on identifier length. */
const MAX_IDENTIFIER = 63;

/**
 * Copies of every legacy table (CREATE TABLE … AS SELECT) in a new schema, from one snapshot,
 * committed before the upgrade starts. Only the owner can read it; it holds the plaintext keys.
 */
export async function takePostgresBackup(database: Database, startedAt: Date): Promise<LegacyBackup> {
  return database.kysely
    .transaction()
    .setIsolationLevel("repeatable read")
    .execute(async (trx) => {
      const current = await currentSchema(trx);
      const schema = backupSchemaName(startedAt, current);
      await execute(trx, `create schema ${quoted(schema)}`);
      for (const table of LEGACY_TABLES) {
        await execute(trx, `create table ${quoted(schema)}.${quoted(table)} as select * from ${quoted(current)}.${quoted(table)}`);
      }
      const rowCounts: Record<string, number> = {};
      for (const table of LEGACY_TABLES) {
        rowCounts[table] = await countOf(trx, `select count(*) as n from ${quoted(schema)}.${quoted(table)}`);
      }
      return { kind: "postgres-schema" as const, location: schema, removeCommand: `DROP SCHEMA ${quoted(schema)} CASCADE;`, rowCounts };
    });
}

async function currentSchema(db: UpgradeExecutor): Promise<string> {
  const result = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const schema = result.rows[0]?.schema;
  if (schema === undefined || schema === null) throw new Error("the search path names no existing schema");
  return schema;
}

/** `legacy_backup_<stamp>`, plus the upgraded schema's name when it is not public. */
function backupSchemaName(at: Date, upgradedSchema: string): string {
  const base = `legacy_backup_${backupStamp(at).toLowerCase()}`;
  return (upgradedSchema === "public" ? base : `${base}_${upgradedSchema}`).slice(0, MAX_IDENTIFIER);
}
