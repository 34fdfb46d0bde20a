import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

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
export async function measureChild(args: readonly string[], env: Record<string, string>): Promise<ChildMeasurement> {
  const started = performance.now();
  const stdout = await runTypeScriptChild(fileURLToPath(new URL("./bench-child.ts", import.meta.url)), args, env);
  const line = JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as Omit<ChildMeasurement, "wallMs">;
  return { ...line, wallMs: performance.now() - started };
}

/**
 * Runs a TypeScript script in a node process of its own (so its peak RSS is its own, not the
 * generator's) and gives back what it printed; a non-zero exit rejects, naming the script.
 */
export function runTypeScriptChild(script: string, args: readonly string[], env: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, ["--import", "tsx", script, ...args], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let stdout = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`${script} ${args.join(" ")} exited ${code}`));
      resolve(stdout);
    });
  });
}

/** The JSON lines a child printed (one record each), in order. */
export function jsonLines<T>(stdout: string): T[] {
  return stdout
    .trim()
    .split("\n")
    .filter((text) => text !== "")
    .map((text) => JSON.parse(text) as T);
}

/** `--name N`: a positive whole number, or undefined when the option is absent; anything else is named in the error. */
export function positiveOption(args: readonly string[], name: string): number | undefined {
  const index = args.indexOf(name);
  if (index === -1) return undefined;
  const value = Number(args[index + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} needs a positive whole number, not ${JSON.stringify(args[index + 1])}`);
  return value;
}
