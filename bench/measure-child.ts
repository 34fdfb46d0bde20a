import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";

export interface ChildMeasurement {
  /** Spawn to exit, TypeScript loader start-up included. */
  readonly wallMs: number;
  /** The child's own time for the work itself. */
  readonly elapsedMs: number;
  /** User + system CPU time of all the child's threads, TypeScript loader start-up included. */
  readonly cpuMs: number;
  readonly maxRssKb: number;
  readonly report: unknown;
}

/** Runs bench-child.ts as one node process and reads the JSON line it prints. */
export function measureChild(args: readonly string[], env: Record<string, string>): Promise<ChildMeasurement> {
  const started = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", "bench/bench-child.ts", ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let stdout = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`bench child ${args.join(" ")} exited ${code}`));
      const line = JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as Omit<ChildMeasurement, "wallMs">;
      resolve({ ...line, wallMs: performance.now() - started });
    });
  });
}
