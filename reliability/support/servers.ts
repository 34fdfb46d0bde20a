import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { buildApp } from "../../src/app.js";
import { createServices, type Services } from "../../src/composition/services.js";
import { loadConfig } from "../../src/config/config.js";
import { createLogger } from "../../src/logging/logger.js";
import { clerkIdentity } from "../../src/test-support/clerk-identity.js";
import { listeningUrl, startServerProcess, type ServerProcess } from "../../src/test-support/server-process.js";
import { closedModelProviders } from "../../src/test-support/closed-model-providers.js";
import type { PartContext } from "./part.js";

/** Clerk mode shared by a part's servers, the model pointed at a closed local port. */
export interface SharedIdentity {
  readonly env: Readonly<Record<string, string>>;
  token(userId: string): Promise<string>;
}

export async function sharedIdentity(): Promise<SharedIdentity> {
  const identity = await clerkIdentity();
  // A user's saved key could make a model call: it goes to a closed local port.
  return { env: { ...identity.env, LOCAL_ENV_KEYS: "false", ...closedModelProviders() }, token: identity.token };
}

export interface RunningServer {
  readonly process: ServerProcess;
  readonly url: string;
  readonly pid: number;
  /** Resident memory now, from /proc (bytes). */
  rssBytes(): number;
  alive(): boolean;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** `src/server.ts` as its own process; killed (if still alive) when the part ends. */
export async function startServer(context: PartContext, env: Record<string, string>): Promise<RunningServer> {
  const process = startServerProcess(env);
  const running: RunningServer = {
    process,
    url: "",
    pid: process.child.pid!,
    rssBytes: () => rssOf(process.child.pid!),
    alive: () => process.child.exitCode === null && process.child.signalCode === null,
    kill: async (signal) => {
      if (running.alive()) process.child.kill(signal);
      await process.exited;
    },
  };
  context.defer(() => running.kill("SIGKILL"));
  return { ...running, url: await listeningUrl(process) };
}

function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? Number.NaN);
  return kb * 1024;
}

/** A temp folder of the part's own, removed when it ends. */
export function tempDir(context: PartContext, name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `reliability-${name}-`));
  context.defer(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface InProcessServer {
  readonly url: string;
  readonly services: Services;
  /** Log lines at warn and above: a 500 leaves one at error. */
  readonly warnings: string[];
}

/** The app built as the server builds it, in this process (so the part can read its database), listening on 127.0.0.1. */
export async function startInProcess(context: PartContext, env: Record<string, string>): Promise<InProcessServer> {
  const warnings: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      warnings.push(chunk.toString("utf8"));
      done();
    },
  });
  const services = await createServices(loadConfig({ LOCAL_ENV_KEYS: "false", ...closedModelProviders(), ...env }), createLogger("warn", sink));
  context.defer(() => services.close());
  const app = await buildApp({ services });
  context.defer(() => app.close());
  await app.listen({ port: 0, host: "127.0.0.1" });
  return { url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, services, warnings };
}
