import { Command } from "commander";
import { createServices } from "../../composition/services.js";
import type { CliContext } from "../cli-context.js";
import type { CommandDeps } from "./command-io.js";

export type RegisterCommand = (program: Command, deps?: CommandDeps) => void;

/**
 * Fits a `register…Command` into `runCli`'s one-factory-per-command list: output through the
 * context's io, exit status into the context, logs to its stderr.
 */
export function asCommandFactory(register: RegisterCommand): (context: CliContext) => Command {
  return (context) => {
    const holder = new Command();
    register(holder, {
      openServices: async () => {
        const config = context.config();
        return createServices(config, context.logger(config));
      },
      stdout: { write: (text: string) => context.io.out(text) },
      stderr: { write: (text: string) => context.io.err(text), isTTY: process.stderr.isTTY === true },
      setExitCode: (code) => context.fail(code),
      env: context.io.env,
    });
    const command = holder.commands[0];
    if (command === undefined) throw new Error(`${register.name} registered no command`);
    return command;
  };
}
