import { processIo } from "./cli-context.js";
import { migrateCommand } from "./commands/migrate-command.js";
import { upgradeLegacyCommand } from "./commands/upgrade-legacy-command.js";
import { runCli, type CommandFactory } from "./run-cli.js";

/** Every subcommand of `onboarding`: a new one is a file in commands/ and one line here. */
const COMMANDS: readonly CommandFactory[] = [migrateCommand, upgradeLegacyCommand];

process.exitCode = await runCli(process.argv.slice(2), processIo(), COMMANDS);
