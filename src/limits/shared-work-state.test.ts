import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../logging/logger.js";
import { openTestDatabase, type TestDatabase } from "../test-support/test-database.js";
import { openTestRedis, testRedisSkipReason, type TestRedis } from "../test-support/test-redis.js";
import { DatabaseWorkState } from "./database-work-state.js";
import { RedisWorkState } from "./redis-work-state.js";
import type { SharedWorkState } from "./shared-work-state.js";

const redisSkip = await testRedisSkipReason();
const silent = createLogger("silent", new Writable({ write: (_chunk, _encoding, done) => done() }));

interface Backend {
  /** Two handles on the same state, as two app instances have. */
  readonly states: readonly [SharedWorkState, SharedWorkState];
  close(): Promise<void>;
}

const BACKENDS: readonly (readonly [string, () => Promise<Backend>, string | undefined])[] = [
  ["SQLite", () => databaseBackend("sqlite"), undefined],
  ["PostgreSQL", () => databaseBackend("postgres"), undefined],
  ["Redis", redisBackend, redisSkip],
];

async function databaseBackend(dialect: "sqlite" | "postgres"): Promise<Backend> {
  const db: TestDatabase = await openTestDatabase(dialect);
  return { states: [new DatabaseWorkState(db.database), new DatabaseWorkState(db.database)], close: () => db.cleanup() };
}

async function redisBackend(): Promise<Backend> {
  const redis: TestRedis = openTestRedis();
  const url = new URL(redis.url);
  const states = [await RedisWorkState.connect(url, redis.prefix, silent), await RedisWorkState.connect(url, redis.prefix, silent)] as const;
  return {
    states,
    close: async () => {
      await Promise.all(states.map((state) => state.close()));
      await redis.cleanup();
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(BACKENDS)("the shared limits of expensive work in %s", (_name, open, skip) => {
  let backend: Backend | undefined;
  afterEach(async () => {
    await backend?.close();
    backend = undefined;
  });

  it.skipIf(skip !== undefined)(`admit exactly the limit of 30 concurrent starts from two handles, then again once the window has passed${skip ?? ""}`, async () => {
    backend = await open();
    const [a, b] = backend.states;
    const now = Date.now();
    const admissions = await Promise.all(Array.from({ length: 30 }, (_, i) => (i % 2 === 0 ? a : b).admit("user_burst", 10, 60_000, now)));
    expect(admissions.filter((admission) => admission.admitted)).toHaveLength(10);
    const refused = admissions.find((admission) => !admission.admitted);
    expect(refused).toEqual({ admitted: false, retryAfterMs: expect.any(Number) });
    if (refused !== undefined && !refused.admitted) {
      expect(refused.retryAfterMs).toBe(60_000);
    }
    expect(await a.admit("user_other", 10, 60_000, now)).toEqual({ admitted: true });
    // Redis keeps the window by its own clock too (the key expires); a short window shows both.
    expect(await a.admit("user_short", 1, 300, Date.now())).toEqual({ admitted: true });
    expect((await b.admit("user_short", 1, 300, Date.now())).admitted).toBe(false);
    await sleep(350);
    expect(await b.admit("user_short", 1, 300, Date.now())).toEqual({ admitted: true });
  });

  it.skipIf(skip !== undefined)(`let one of ten racing holders take a run, keep its outcome for the others, and free it when finished${skip ?? ""}`, async () => {
    backend = await open();
    const [a, b] = backend.states;
    const now = Date.now();
    const taken = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).acquire("user_run", "website", `run-${i}`, now, 15_000)));
    expect(taken.filter(Boolean)).toHaveLength(1);
    const winner = `run-${taken.indexOf(true)}`;
    expect(await b.read("user_run", "website", now, 15_000)).toEqual({ runId: winner, running: true });
    expect(await a.read("user_run", "persona", now, 15_000)).toBeNull();

    await a.finish("user_run", "website", "run-not-the-holder", { ok: true, value: "forged" }, now);
    expect(await b.read("user_run", "website", now, 15_000)).toEqual({ runId: winner, running: true });
    await a.finish("user_run", "website", winner, { ok: true, value: { website_url: "https://run.example.com" } }, now + 5);
    expect(await b.read("user_run", "website", now + 10, 15_000)).toEqual({ runId: winner, running: false, outcome: { ok: true, value: { website_url: "https://run.example.com" } } });
    expect(await b.acquire("user_run", "website", "run-next", now + 20, 15_000)).toBe(true);

    expect(await a.eraseRuns("user_run")).toBe(1);
    expect(await b.read("user_run", "website", now + 30, 15_000)).toBeNull();
  });

  it.skipIf(skip !== undefined)(`let another holder take over a run whose holder stopped renewing it, and keep the old holder out${skip ?? ""}`, async () => {
    backend = await open();
    const [a, b] = backend.states;
    const lease = 300;
    expect(await a.acquire("user_lease", "persona", "run-renewed", Date.now(), lease)).toBe(true);
    for (let i = 0; i < 3; i++) {
      await sleep(150);
      await a.renew("user_lease", "persona", "run-renewed", Date.now(), lease);
    }
    expect(await b.acquire("user_lease", "persona", "run-early", Date.now(), lease)).toBe(false);

    await sleep(lease + 100);
    expect(await b.read("user_lease", "persona", Date.now(), lease)).toBeNull();
    expect(await b.acquire("user_lease", "persona", "run-new", Date.now(), lease)).toBe(true);
    await a.finish("user_lease", "persona", "run-renewed", { ok: true, value: "late" }, Date.now());
    expect(await a.read("user_lease", "persona", Date.now(), lease)).toEqual({ runId: "run-new", running: true });
  });
});
