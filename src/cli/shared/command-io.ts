import { pino } from "pino";
import { createServices, type Services } from "../../composition/services.js";
import { loadConfig } from "../../config/config.js";
import { ConfigError } from "../../config/config-error.js";
import type { Env } from "../../config/env-readers.js";
import { createLogger } from "../../logging/logger.js";

/** The part of a stream a command writes to; tests pass a collector. */
export interface OutputStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

/** What a command needs from outside; every field has a production default. */
export interface CommandDeps {
  readonly openServices?: () => Promise<Services>;
  readonly stdout?: OutputStream;
  readonly stderr?: OutputStream;
  /** Where the exit status goes; `process.exitCode` unless the host program keeps its own. */
  readonly setExitCode?: (code: number) => void;
  /** The environment the configuration was read from; `process.env` by default. */
  readonly env?: Env;
}

export interface CommandContext {
  readonly services: Services;
  readonly env: Env;
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
}

/** Logs go to stderr so that stdout carries the report alone (and `--json` stays parseable). */
export function openDefaultServices(): Promise<Services> {
  const config = loadConfig();
  const logger = createLogger(config.logLevel, pino.destination({ fd: 2, sync: true }));
  return createServices(config, logger);
}

/**
 * Opens services, runs `work`, closes them, and sets the exit code `work` returns. An error
 * becomes one line on stderr: exit code 2 for a bad configuration (as for `migrate`), else 1.
 */
export async function runCommand(deps: CommandDeps | undefined, work: (context: CommandContext) => Promise<number>): Promise<void> {
  const stdout = deps?.stdout ?? process.stdout;
  const stderr = deps?.stderr ?? process.stderr;
  const setExitCode = deps?.setExitCode ?? ((code: number) => void (process.exitCode = code));
  let services: Services | undefined;
  try {
    services = await (deps?.openServices ?? openDefaultServices)();
    setExitCode(await work({ services, stdout, stderr, env: deps?.env ?? process.env }));
  } catch (error) {
    const configuration = error instanceof ConfigError;
    stderr.write(`${configuration ? "configuration error" : "error"}: ${error instanceof Error ? error.message : String(error)}\n`);
    setExitCode(configuration ? 2 : 1);
  } finally {
    await services?.close();
  }
}

/** A refusal the operator can act on: printed as it is, exit code 1, no stack. */
export class CommandRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CommandRefused";
  }
}
