import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { ApiClient } from "../src/test-support/api-client.js";
import { startInstances, type AppInstances } from "../src/test-support/app-instances.js";
import { startGatedChatServer, type GatedChatServer } from "../src/test-support/gated-chat-server.js";
import { serviceTestsRequired } from "../src/test-support/required-tests.js";
import { sparePort } from "../src/test-support/spare-port.js";
import { openTestDatabase, type TestDatabase } from "../src/test-support/test-database.js";
import { openTestRedis, testRedisSkipReason, type TestRedis } from "../src/test-support/test-redis.js";
import { expectErrorShape, walkToStepFour } from "./hardening-support.js";

const PERSONAS = "/step4/generate-personas";
const redisSkip = await testRedisSkipReason();

/** Where the limits live: the instances' own database (SQLite file or PostgreSQL), or Redis beside it. */
const SETUPS = [
  { name: "one SQLite database", dialect: "sqlite", redis: false, skip: undefined },
  { name: "one PostgreSQL database", dialect: "postgres", redis: false, skip: undefined },
  { name: "one Redis (REDIS_URL)", dialect: "sqlite", redis: true, skip: redisSkip },
] as const;

/**
 * The per-user limits of expensive work hold across app instances (decision 0012): starts are
 * counted where every instance sees them, and a run on one instance makes a request on another
 * wait for it rather than start a second one.
 */
describe.each(SETUPS)("two app instances sharing $name", ({ dialect, redis: useRedis, skip }) => {
  let db: TestDatabase | undefined;
  let redis: TestRedis | undefined;
  let running: AppInstances | undefined;
  let llm: GatedChatServer | undefined;
  afterEach(async () => {
    await running?.close();
    await llm?.close();
    await db?.cleanup();
    await redis?.cleanup();
    running = undefined;
    llm = undefined;
    redis = undefined;
  });

  async function twoInstances(env: Record<string, string> = {}): Promise<[ApiClient, ApiClient] | null> {
    db = await openTestDatabase(dialect);
    if (db.location === undefined) return null;
    redis = useRedis ? openTestRedis() : undefined;
    const shared: Record<string, string> = redis === undefined ? {} : { REDIS_URL: redis.url, REDIS_KEY_PREFIX: redis.prefix };
    running = await startInstances(db, 2, { ...shared, ...env });
    const [a, b] = await Promise.all(running.instances.map(({ app }) => ApiClient.signIn(app, "user_limited")));
    await walkToStepFour(a!, "limited");
    return [a!, b!];
  }

  it.skipIf(skip !== undefined)(`count one window of 10 starts per user across both, answering the 11th with 429 and Retry-After on either${skip ?? ""}`, async (context) => {
    const apis = await twoInstances();
    if (apis === null) return context.skip("PGlite lives inside one process");
    const [a, b] = apis;
    for (let i = 0; i < 10; i++) {
      const response = await (i % 2 === 0 ? a : b).post(PERSONAS);
      expect(response.status, response.text).toBe(200);
    }
    for (const api of [a, b]) {
      const limited = await api.post(PERSONAS);
      expectErrorShape(limited, 429, "rate_limited");
      expect(Number(limited.headers["retry-after"])).toBeGreaterThanOrEqual(1);
      expect(Number(limited.headers["retry-after"])).toBeLessThanOrEqual(60);
    }
    expectErrorShape(await b.post("/website/analyze", { website: "http://127.0.0.1:9/" }), 429, "rate_limited");
    const other = await ApiClient.signIn(running!.instances[1]!.app, "user_unlimited");
    await walkToStepFour(other, "unlimited");
    expect((await other.post(PERSONAS)).status).toBe(200);
  });

  it.skipIf(skip !== undefined)(`make a generation asked on the second instance wait for the first's and answer its result, with one model call${skip ?? ""}`, async (context) => {
    llm = await startGatedChatServer();
    const apis = await twoInstances({ OPENAI_BASE_URL: llm.baseUrl, LLM_BASE_URL: llm.baseUrl, LLM_API_KEY: "sk-llm-server-key", LLM_MODEL: "test" });
    if (apis === null) return context.skip("PGlite lives inside one process");
    const [a, b] = apis;
    const first = a.post(PERSONAS);
    await llm.received(1);
    const second = b.post(PERSONAS);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(llm.count()).toBe(1);
    llm.release();
    const [fromA, fromB] = await Promise.all([first, second]);
    expect(fromA.status, fromA.text).toBe(200);
    expect(fromA.body.llm_enriched).toBe(true);
    expect(fromB.body).toEqual(fromA.body);
    expect(llm.count()).toBe(1);
    // Once finished, a new request starts a new run.
    expect((await b.post(PERSONAS)).status).toBe(200);
    expect(llm.count()).toBe(2);
  });
});

const redisServer = "/usr/bin/redis-server";
const outageSkip = existsSync(redisServer) || serviceTestsRequired() ? undefined : `SKIPPED, NOT TESTED: ${redisServer} not found`;

describe.skipIf(outageSkip !== undefined)(`an app whose Redis goes away${outageSkip ?? ""}`, () => {
  let db: TestDatabase;
  let running: AppInstances | undefined;
  let server: ChildProcess | undefined;
  afterEach(async () => {
    server?.kill("SIGKILL");
    await running?.close();
    await db.cleanup();
  });

  it("answers 503 limits_unavailable on the expensive routes only, and recovers by itself when Redis returns", async () => {
    const port = await sparePort();
    server = await startRedis(port);
    db = await openTestDatabase("sqlite");
    running = await startInstances(db, 1, { REDIS_URL: `redis://127.0.0.1:${port}`, REDIS_KEY_PREFIX: "outage:" });
    const api = await ApiClient.signIn(running.instances[0]!.app, "user_redis_outage");
    await walkToStepFour(api, "outage");
    expect((await api.post(PERSONAS)).status).toBe(200);

    server.kill("SIGKILL");
    await new Promise((resolve) => server!.once("exit", resolve));
    const refused = await api.post(PERSONAS);
    expectErrorShape(refused, 503, "limits_unavailable");
    expect(refused.headers["retry-after"]).toBe("5");
    expect((await api.get("/status")).status).toBe(200);

    server = await startRedis(port);
    const deadline = Date.now() + 10_000;
    let status = 0;
    while (status !== 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      status = (await api.post(PERSONAS)).status;
    }
    expect(status).toBe(200);
  });
});

async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn(redisServer, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: ["ignore", "pipe", "pipe"] });
  await new Promise<void>((resolve, reject) => {
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Ready to accept connections")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`redis-server exited (${code}): ${output}`)));
  });
  return child;
}
