// First: on a Node older than package.json's engines, one line saying what to install, then exit (decision 0017).
import "../../scripts/require-node.mjs";
import { processIo } from "./cli-context.js";
import { registerDeleteUserCommand } from "./commands/delete-user-command.js";
import { registerImportFilesCommand } from "./commands/import-files-command.js";
import { migrateCommand } from "./commands/migrate-command.js";
import { registerMigrationStatusCommand } from "./commands/migration-status-command.js";
import { registerReconcileCommand } from "./commands/reconcile-command.js";
import { registerRestoreFilesCommand } from "./commands/restore-files-command.js";
import { registerRetireFilesCommand } from "./commands/retire-files-command.js";
import { registerRotateEncryptionKeyCommand } from "./commands/rotate-encryption-key-command.js";
import { upgradeLegacyCommand } from "./commands/upgrade-legacy-command.js";
import { registerVerifyCommand } from "./commands/verify-command.js";
import { runCli, type CommandFactory } from "./run-cli.js";
import { asCommandFactory } from "./shared/command-factory.js";

/** Every subcommand of `onboarding`: a new one is a file in commands/ and one line here. */
const COMMANDS: readonly CommandFactory[] = [
  migrateCommand,
  upgradeLegacyCommand,
  asCommandFactory(registerImportFilesCommand),
  asCommandFactory(registerVerifyCommand),
  asCommandFactory(registerReconcileCommand),
  asCommandFactory(registerDeleteUserCommand),
  asCommandFactory(registerRotateEncryptionKeyCommand),
  asCommandFactory(registerMigrationStatusCommand),
  asCommandFactory(registerRetireFilesCommand),
  asCommandFactory(registerRestoreFilesCommand),
];

process.exitCode = await runCli(process.argv.slice(2), processIo(), COMMANDS);
