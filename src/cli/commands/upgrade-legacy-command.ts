import { Command } from "commander";
import { describeDatabase } from "../../config/database-location.js";
import { loadOrCreateDevEncryptionKey } from "../../crypto/encryption-key-file.js";
import { loadSecretCipher } from "../../crypto/load-secret-cipher.js";
import type { CliContext } from "../cli-context.js";
import { openLegacyUpgrader } from "../upgrade-legacy/open-legacy-upgrader.js";
import { pauseFromEnv } from "../upgrade-legacy/pause-point.js";
import { LegacyShapeRefused, LegacyUpgradeFailed, upgradeLegacy } from "../upgrade-legacy/upgrade-legacy.js";
import { formatBackup, formatUpgradeReport } from "../upgrade-legacy/upgrade-report.js";

interface UpgradeLegacyOptions {
  readonly backupDir?: string;
  readonly json?: boolean;
}

export function upgradeLegacyCommand(context: CliContext): Command {
  return new Command("upgrade-legacy")
    .description(
      "upgrade a database of the old platform in place: backup first, integer user ids to text, " +
        "duplicate sessions merged, plaintext keys encrypted, then migrate",
    )
    .option("--backup-dir <dir>", "SQLite: where the backup file goes (default: the database file's directory)")
    .option("--json", "print the report as JSON")
    .action(async (options: UpgradeLegacyOptions) => run(context, options));
}

async function run(context: CliContext, options: UpgradeLegacyOptions): Promise<void> {
  const config = context.config();
  const json = options.json === true;
  const where = describeDatabase(config.database);
  const cipher = loadSecretCipher(config, context.logger(config));
  // The same key the cipher was made from (the dev key file exists by now), for the sealing worker.
  const key = Buffer.from(config.encryptionKey ?? loadOrCreateDevEncryptionKey(config.dataDir).key, "base64");
  const sealingKey = { key, version: cipher.currentVersion };
  const pause = pauseFromEnv(context.io.env);
  const upgrader = openLegacyUpgrader(config.database, { backupDir: options.backupDir });
  try {
    const report = await upgradeLegacy(upgrader, { cipher, sealingKey, pause });
    context.print(json, { database: where, ...report }, () => formatUpgradeReport(report, where));
  } catch (error) {
    if (error instanceof LegacyShapeRefused) return refuse(context, json, where, error);
    if (error instanceof LegacyUpgradeFailed) return reportFailure(context, json, where, error);
    throw error;
  } finally {
    await upgrader.close();
  }
}

function refuse(context: CliContext, json: boolean, where: string, error: LegacyShapeRefused): void {
  context.fail(1);
  context.printFailure(json, { database: where, status: "refused", error: error.message }, () => {
    return `${where}: upgrade-legacy refused, nothing changed and no backup made: ${error.message}`;
  });
}

function reportFailure(context: CliContext, json: boolean, where: string, error: LegacyUpgradeFailed): void {
  context.fail(1);
  const state = error.databaseUnchanged
    ? "The database is unchanged: the transaction rolled back."
    : "The legacy tables were upgraded; only a later migration is missing.";
  const data = { database: where, status: "failed", error: error.message, databaseUnchanged: error.databaseUnchanged, backup: error.backup };
  context.printFailure(json, data, () => [`${where}: upgrade-legacy failed: ${error.message}`, state, ...formatBackup(error.backup)].join("\n"));
}
