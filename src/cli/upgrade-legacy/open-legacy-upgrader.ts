import { IN_MEMORY_SQLITE, type DatabaseLocation } from "../../config/database-location.js";
import { openDatabase } from "../../db/database.js";
import type { LegacyUpgrader } from "./legacy-upgrader.js";
import { PostgresLegacyUpgrader } from "./postgres/postgres-legacy-upgrader.js";
import { SqliteLegacyUpgrader } from "./sqlite/sqlite-legacy-upgrader.js";

export function openLegacyUpgrader(location: DatabaseLocation, options: { backupDir?: string }): LegacyUpgrader {
  if (location.dialect === "sqlite") {
    if (location.path === IN_MEMORY_SQLITE) throw new Error("upgrade-legacy needs a database file, not sqlite::memory:");
    return new SqliteLegacyUpgrader(location.path, options);
  }
  if (options.backupDir !== undefined) {
    throw new Error(`--backup-dir ${options.backupDir} applies to SQLite only: on PostgreSQL the backup is a schema`);
  }
  return new PostgresLegacyUpgrader(openDatabase(location), { closeDatabase: true });
}
