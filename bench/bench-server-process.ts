import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { performance } from "node:perf_hooks";

/** A server under measurement: a node process of its own, whose CPU and memory are read from /proc. */
export interface BenchServer {
  readonly label: string;
  readonly origin: string;
  readonly pid: number;
  /** Spawn to the first 200 from /readyz. */
  readonly coldStartMs: number;
  /** User + system CPU of all the process's threads since it started, in ms. */
  cpuMs(): number;
  rssKb(): number;
  stop(): Promise<void>;
}

export interface ServerCommand {
  readonly label: string;
  /** Arguments to `node`: a script and its options. */
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

const CLOCK_TICKS_PER_SECOND = 100;

export async function startBenchServer(command: ServerCommand): Promise<BenchServer> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const started = performance.now();
  const child = spawn(process.execPath, [...command.args], {
    env: { ...process.env, ...command.env, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  await waitUntilReady(origin, child, () => stderr);
  const coldStartMs = performance.now() - started;
  const pid = child.pid as number;
  return {
    label: command.label,
    origin,
    pid,
    coldStartMs,
    cpuMs: () => processCpuMs(pid),
    rssKb: () => processRssKb(pid),
    stop: () => stopChild(child),
  };
}

/** Polls /readyz every few milliseconds: the figure is the time a load balancer would wait. */
async function waitUntilReady(origin: string, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = performance.now() + 60_000;
  while (performance.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode} before it was ready: ${stderr().slice(-2000)}`);
    const ready = await fetch(`${origin}/readyz`).then(
      (response) => response.status === 200,
      () => false,
    );
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 3));
  }
  throw new Error(`server at ${origin} not ready within 60 s: ${stderr().slice(-2000)}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

/** utime + stime of /proc/<pid>/stat: every thread of the process (main, libuv pool, V8's helpers). */
export function processCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // After the command name: state is field 3 of the full line, so utime (14) and stime (15) are at 11 and 12 here.
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
}

export function processRssKb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  return match === null ? 0 : Number(match[1]);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}
