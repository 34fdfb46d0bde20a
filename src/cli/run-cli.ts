import { Command, CommanderError } from "commander";
import { ConfigError } from "../config/config-error.js";
import { CliContext, type CliIo } from "./cli-context.js";

/** Builds one subcommand of `onboarding`; each lives in its own file under commands/. */
export type CommandFactory = (context: CliContext) => Command;

/** Runs `onboarding <argv>` and returns the exit status instead of exiting, so tests can call it. */
export async function runCli(argv: readonly string[], io: CliIo, commands: readonly CommandFactory[]): Promise<number> {
  const context = new CliContext(io);
  const program = new Command("onboarding")
    .description("onboarding-service administration (SPEC §8); every report also as --json")
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.out(text), writeErr: (text) => io.err(text) });
  for (const create of commands) program.addCommand(create(context).copyInheritedSettings(program));
  try {
    await program.parseAsync([...argv], { from: "user" });
    return context.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof ConfigError) {
      io.err(`configuration error: ${error.message}\n`);
      return 2;
    }
    io.err(`error: ${describeError(error)}\n`);
    return 1;
  }
}

/** The message and its causes: `DatabaseUnavailable` says what the driver saw only in its cause. */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause === undefined ? error.message : `${error.message} (${describeError(error.cause)})`;
}
