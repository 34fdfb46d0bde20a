import { spawn, type ChildProcess } from "node:child_process";
import { closedModelProviders } from "./closed-model-providers.js";

/** `src/server.ts` as its own process, as an operator runs it: what it prints is kept, its exit observed. */
export interface ServerProcess {
  readonly child: ChildProcess;
  /** What it wrote to stdout and stderr so far (the first and the last 256 KiB of a long run). */
  readonly output: () => string;
  /** Its exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
}

/**
 * Node itself runs the server, with tsx's loader registered in it (`--import tsx`): the tsx
 * command would run it in a child process of its own, which a SIGKILL of the command leaves running.
 */
export function startServerProcess(env: Record<string, string>): ServerProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "src/server.ts"], { env: { ...process.env, PORT: "0", LOG_LEVEL: "info", ...closedModelProviders(), ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const kept = new KeptOutput();
  child.stdout?.on("data", (chunk: Buffer) => kept.add(chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => kept.add(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => kept.text(), exited };
}

/** A server under load for minutes logs every request: its start and its latest lines are what a failing test needs. */
class KeptOutput {
  static readonly LIMIT = 256 * 1024;
  #head = "";
  #tail = "";

  add(text: string): void {
    if (this.#head.length < KeptOutput.LIMIT) {
      this.#head += text;
      return;
    }
    this.#tail += text;
    if (this.#tail.length > 2 * KeptOutput.LIMIT) this.#tail = this.#tail.slice(-KeptOutput.LIMIT);
  }

  text(): string {
    return this.#tail === "" ? this.#head : `${this.#head}\n…\n${this.#tail.slice(-KeptOutput.LIMIT)}`;
  }
}

/** The URL the server listens on, once it says so; throws with its output when it exits or never does. */
export async function listeningUrl(server: ServerProcess): Promise<string> {
  for (let i = 0; i < 300; i++) {
    const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(server.output());
    if (match?.[1]) return match[1];
    if (server.child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`server did not start:\n${server.output()}`);
}
