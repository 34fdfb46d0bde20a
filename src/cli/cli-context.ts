import type { Logger } from "pino";
import { loadConfig, type Config } from "../config/config.js";
import type { Env } from "../config/env-readers.js";
import { createLogger } from "../logging/logger.js";

/** Where a command reads its environment and writes its output; tests pass their own. */
export interface CliIo {
  readonly env: Env;
  out(text: string): void;
  err(text: string): void;
}

export function processIo(): CliIo {
  return {
    env: process.env,
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
  };
}

/** What every command gets: the io, the config on demand, and the exit status it sets. */
export class CliContext {
  readonly io: CliIo;
  #exitCode = 0;

  constructor(io: CliIo) {
    this.io = io;
  }

  get exitCode(): number {
    return this.#exitCode;
  }

  fail(exitCode: number): void {
    this.#exitCode = exitCode;
  }

  /** Throws ConfigError naming the bad variable; `runCli` turns it into exit status 2. */
  config(): Config {
    return loadConfig(this.io.env);
  }

  /** Logs go to stderr, so that stdout carries only the report (and `--json` stays parseable). */
  logger(config: Config): Logger {
    return createLogger(config.logLevel, { write: (line: string) => this.io.err(line) });
  }

  /** One report, as JSON or as text for people. */
  print(json: boolean, data: unknown, text: () => string): void {
    this.io.out(`${json ? JSON.stringify(data, null, 2) : text()}\n`);
  }

  /** A failure report: JSON still goes to stdout (scripts parse it), the text to stderr. */
  printFailure(json: boolean, data: unknown, text: () => string): void {
    if (json) this.print(true, data, text);
    else this.io.err(`${text()}\n`);
  }
}
