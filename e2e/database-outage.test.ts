import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { listeningUrl, startServerProcess, type ServerProcess } from "../src/test-support/server-process.js";
import { startThrowawayPostgres, throwawayPostgresSkipReason, type ThrowawayPostgres } from "../src/test-support/throwaway-postgres.js";

/**
 * A database that goes away under load must cost answers (503), never the process: a routine
 * PostgreSQL restart or failover once took the server down for good. The server runs as its own
 * process, so that its death is seen; the cluster is the test's own, so that stopping it harms
 * no one else's tests.
 */
const skip = throwawayPostgresSkipReason();

describe.skipIf(skip !== undefined)(`the server process while its PostgreSQL goes away${skip === undefined ? "" : ` (${skip})`}`, () => {
  let cluster: ThrowawayPostgres;
  let server: ServerProcess | undefined;
  let dataDir: string;

  beforeAll(async () => {
    cluster = await startThrowawayPostgres();
  });
  beforeEach(async () => {
    await cluster.start();
  });
  afterAll(async () => {
    await cluster?.destroy();
  });
  afterEach(() => {
    if (server?.child.exitCode === null) server.child.kill("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function startServer(): Promise<string> {
    dataDir = mkdtempSync(join(tmpdir(), "outage-"));
    server = startServerProcess({ DATABASE_URL: cluster.url, STORAGE_MODE: "database", DATA_DIR: dataDir, LOCAL_ENV_KEYS: "false" });
    return listeningUrl(server);
  }

  it("survives pg_ctl stop -m fast under 8 looping clients, answers 503 meanwhile, and serves the first request after the restart", async () => {
    const base = await startServer();
    const clients = await LoopingClients.start(base, 8);
    await clients.until((answers) => answers.filter((a) => a.status === 200).length >= 40);

    await cluster.stop("fast");
    const stoppedAt = performance.now();
    await clients.until((answers) => answers.filter((a) => a.sentAt > stoppedAt).length >= 24);
    expectAlive(server!);
    const readiness = await fetch(`${base}/readyz`);
    expect(readiness.status).toBe(503);
    expect(await readiness.json()).toMatchObject({ status: "unavailable", database: "unreachable" });
    await clients.stop();

    await cluster.start();
    const first = await clients.save(0);
    expect(first.status, first.code).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);

    const duringOutage = clients.answers.filter((a) => a.sentAt > stoppedAt);
    expect(duringOutage.length).toBeGreaterThanOrEqual(24);
    expect(new Set(duringOutage.map((a) => a.status))).toEqual(new Set([503]));
    expectOnly200Or503(clients.answers);
    expectAlive(server!);
  });

  it("survives pg_terminate_backend on its connections under 8 looping clients and goes on serving", async () => {
    const base = await startServer();
    const clients = await LoopingClients.start(base, 8);
    await clients.until((answers) => answers.filter((a) => a.status === 200).length >= 40);

    let ended = 0;
    for (let round = 0; round < 5; round++) {
      ended += await cluster.terminateConnections();
      await sleep(100);
    }
    const terminatedAt = performance.now();
    expect(ended).toBeGreaterThan(0);
    await clients.until((answers) => answers.filter((a) => a.sentAt > terminatedAt && a.status === 200).length >= 16);
    await clients.stop();

    expectAlive(server!);
    expectOnly200Or503(clients.answers);
    // Connections ended in the middle of a request: those requests were answered, with 503.
    expect(clients.answers.some((a) => a.status === 503)).toBe(true);
    expect((await clients.save(1)).status).toBe(200);
  });
});

function expectAlive(server: ServerProcess): void {
  expect(server.child.exitCode, `the server exited:\n${server.output().slice(-3_000)}`).toBeNull();
}

function expectOnly200Or503(answers: readonly Answer[]): void {
  const unexpected = answers.filter((a) => a.status !== 200 && !(a.status === 503 && a.code === "database_unavailable" && a.retryAfter !== null));
  expect(unexpected).toEqual([]);
}

interface Answer {
  /** "no answer": the connection failed, as it does once the process is gone. */
  readonly status: number | "no answer";
  readonly code: string | undefined;
  readonly retryAfter: string | null;
  readonly sentAt: number;
}

/** Clients that each save a step-1 draft and read their progress in turn, until stopped. */
class LoopingClients {
  readonly answers: Answer[] = [];
  readonly #base: string;
  readonly #tokens: readonly string[];
  #loops: Promise<void>[] = [];
  #running = true;

  private constructor(base: string, tokens: readonly string[]) {
    this.#base = base;
    this.#tokens = tokens;
  }

  static async start(base: string, count: number): Promise<LoopingClients> {
    const tokens = await Promise.all(Array.from({ length: count }, (_, i) => devToken(base, `user_outage_${i}`)));
    const clients = new LoopingClients(base, tokens);
    clients.#loops = tokens.map((_, i) => clients.#loop(i));
    return clients;
  }

  save(client: number, round = 0): Promise<Answer> {
    const key = `sk-outage-${client}-${String(round).padStart(8, "0")}`;
    return this.#call(client, "PUT", "/step/1", { data: { api_keys: { openai: key } } });
  }

  async until(enough: (answers: readonly Answer[]) => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    while (!enough(this.answers)) {
      if (performance.now() > deadline) throw new Error(`not enough answers in ${timeoutMs} ms: ${JSON.stringify(this.answers.slice(-5))}`);
      await sleep(20);
    }
  }

  async stop(): Promise<void> {
    this.#running = false;
    await Promise.all(this.#loops);
  }

  async #loop(client: number): Promise<void> {
    for (let round = 0; this.#running; round++) {
      this.answers.push(round % 2 === 0 ? await this.save(client, round) : await this.#call(client, "GET", "/progress"));
      await sleep(10);
    }
  }

  async #call(client: number, method: string, path: string, body?: unknown): Promise<Answer> {
    const sentAt = performance.now();
    try {
      const response = await fetch(`${this.#base}/api/onboarding${path}`, {
        method,
        headers: { authorization: `Bearer ${this.#tokens[client]}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(15_000),
      });
      const parsed = (await response.json()) as { code?: string };
      return { status: response.status, code: parsed.code, retryAfter: response.headers.get("retry-after"), sentAt };
    } catch {
      return { status: "no answer", code: undefined, retryAfter: null, sentAt };
    }
  }
}

async function devToken(base: string, userId: string): Promise<string> {
  const response = await fetch(`${base}/api/dev/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ user_id: userId }) });
  return ((await response.json()) as { token: string }).token;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
