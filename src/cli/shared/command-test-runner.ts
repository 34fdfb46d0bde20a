import { Command } from "commander";
import { createServices } from "../../composition/services.js";
import { loadConfig } from "../../config/config.js";
import type { SecretCipher } from "../../crypto/secret-cipher.js";
import type { Database } from "../../db/database.js";
import { createLogger } from "../../logging/logger.js";
import type { CommandDeps, OutputStream } from "./command-io.js";

export interface CommandRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface TestCommandSetup {
  readonly database: Database;
  readonly cipher: SecretCipher;
  /** Environment for loadConfig (STORAGE_MODE, PROGRESS_DIR, …); the database itself is `database`. */
  readonly env?: Record<string, string>;
  readonly stderrIsTTY?: boolean;
}

/**
 * Runs one command the way `onboarding <args>` would, against a test database, and gives back
 * what it printed and the exit code it set (then restores the process's own).
 */
export async function runTestCommand(
  register: (program: Command, deps?: CommandDeps) => void,
  args: readonly string[],
  setup: TestCommandSetup,
): Promise<CommandRun> {
  const stdout = collector(false);
  const stderr = collector(setup.stderrIsTTY === true);
  const config = loadConfig({ STORAGE_MODE: "dual", ...setup.env });
  // Commander's own messages (a bad option) go where the command's output goes; subcommands inherit it.
  const program = new Command("onboarding")
    .exitOverride()
    .configureOutput({ writeOut: (text) => void stdout.write(text), writeErr: (text) => void stderr.write(text) });
  register(program, {
    openServices: () => createServices(config, createLogger("silent"), { database: setup.database, cipher: setup.cipher }),
    stdout,
    stderr,
    env: { ...setup.env },
  });
  const previous = process.exitCode;
  process.exitCode = undefined;
  try {
    await program.parseAsync([...args], { from: "user" });
    return { exitCode: Number(process.exitCode ?? 0), stdout: stdout.text(), stderr: stderr.text() };
  } finally {
    process.exitCode = previous;
  }
}

function collector(isTTY: boolean): OutputStream & { text(): string } {
  const chunks: string[] = [];
  return { isTTY, write: (text: string) => chunks.push(text), text: () => chunks.join("") };
}
