import { Command } from "commander";
import { describeDatabase } from "../../config/database-location.js";
import { openDatabase } from "../../db/database.js";
import { migrateToLatest } from "../../db/migrator.js";
import type { CliContext } from "../cli-context.js";

export function migrateCommand(context: CliContext): Command {
  return new Command("migrate")
    .description("apply pending schema migrations to DATABASE_URL (under a lock; safe to repeat)")
    .option("--json", "print the report as JSON")
    .action(async (options: { json?: boolean }) => {
      const config = context.config();
      const database = openDatabase(config.database);
      try {
        const report = await migrateToLatest(database);
        const where = describeDatabase(config.database);
        context.print(options.json === true, { database: where, ...report }, () => {
          if (report.applied.length === 0) return `${where}: already up to date (schema version ${report.currentVersion})`;
          const applied = report.applied.map((migration) => `  ${migration.version} ${migration.name}`);
          return [`${where}: applied ${report.applied.length} migration(s):`, ...applied, `schema version ${report.currentVersion}`].join("\n");
        });
      } finally {
        await database.close();
      }
    });
}
