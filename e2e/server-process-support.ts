import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";

const TSX = join(process.cwd(), "node_modules", ".bin", "tsx");

/** The real server (`src/server.ts`) in a child process on a free port; its output is kept for assertions. */
export interface ServerProcess {
  readonly child: ChildProcess;
  readonly output: () => string;
  readonly exited: Promise<number | null>;
}

export function startServerProcess(env: Record<string, string>): ServerProcess {
  const child = spawn(TSX, ["src/server.ts"], { env: { ...process.env, PORT: "0", LOG_LEVEL: "info", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Where the server listens, once its log says so. */
export async function listeningUrl(server: ServerProcess): Promise<string> {
  for (let i = 0; i < 300; i++) {
    const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(server.output());
    if (match?.[1]) return match[1];
    if (server.child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`server did not start:\n${server.output()}`);
}
