import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { openDatabase } from "../src/db/database.js";
import { AppMetrics } from "../src/metrics/app-metrics.js";
import { StorageMetrics } from "../src/storage/storage-metrics.js";

const DIRECT_CALLS = 1_000_000;
const REQUESTS = 5_000;
const ROUNDS = 15;

/**
 * `npm run bench -- metrics`: what GET /metrics's bookkeeping costs each request. (1) The
 * onResponse hook called directly on 8 (route, status) combinations: CPU per call. (2) Two
 * hello-world Fastify apps, without and with the hook, injected in alternating rounds: median CPU
 * per request, the hook's share of the cheapest request there is (issue 13 judges the hot paths
 * against a hello world).
 */
export async function metricsHookBench(): Promise<void> {
  const database = openDatabase({ dialect: "sqlite", path: ":memory:" });
  try {
    const metrics = new AppMetrics({ storageMode: "dual", database, storage: new StorageMetrics(), personaTasksByStatus: async () => ({}) });
    line(`hook called directly: ${directNanoseconds(metrics).toFixed(0)} ns of CPU per response (${DIRECT_CALLS} calls, 8 label combinations)`);
    const apps = [await helloWorld(undefined), await helloWorld(metrics)];
    const rounds: [number[], number[]] = [[], []];
    for (let round = 0; round < ROUNDS; round++) {
      for (const [index, app] of apps.entries()) rounds[index]!.push(await injectedMicroseconds(app));
    }
    await Promise.all(apps.map((app) => app.close()));
    const [base, hooked] = rounds.map(median) as [number, number];
    const [baseMin, hookedMin] = rounds.map((values) => Math.min(...values)) as [number, number];
    line(`hello world injected, ${REQUESTS} requests a round, ${ROUNDS} rounds alternating: CPU per request without the hook ${base.toFixed(1)} µs (min ${baseMin.toFixed(1)}), with it ${hooked.toFixed(1)} µs (min ${hookedMin.toFixed(1)})`);
    line(`  difference of the medians ${(hooked - base).toFixed(2)} µs = ${(((hooked - base) / base) * 100).toFixed(1)} % of a hello world; on a shared machine rounds vary by a few µs`);
  } finally {
    await database.close();
  }
}

function directNanoseconds(metrics: AppMetrics): number {
  const routes = ["/api/onboarding/status", "/api/onboarding/step/:n", "/api/onboarding/summary", "/api/onboarding/api-keys"];
  const combos = routes.flatMap((url) =>
    [200, 409].map((statusCode) => ({
      request: { method: "GET", is404: false, routeOptions: { url } } as unknown as FastifyRequest,
      reply: { statusCode, elapsedTime: 1.7 } as unknown as FastifyReply,
    })),
  );
  const done = () => undefined;
  const cpu = process.cpuUsage();
  for (let i = 0; i < DIRECT_CALLS; i++) {
    const { request, reply } = combos[i & 7]!;
    metrics.observeResponse(request, reply, done);
  }
  const used = process.cpuUsage(cpu);
  return ((used.user + used.system) * 1000) / DIRECT_CALLS;
}

async function helloWorld(metrics: AppMetrics | undefined): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  if (metrics !== undefined) app.addHook("onResponse", metrics.observeResponse);
  app.get("/hello", async () => ({ hello: "world" }));
  await app.ready();
  for (let i = 0; i < 2_000; i++) await app.inject({ method: "GET", url: "/hello" });
  return app;
}

async function injectedMicroseconds(app: FastifyInstance): Promise<number> {
  const cpu = process.cpuUsage();
  for (let i = 0; i < REQUESTS; i++) await app.inject({ method: "GET", url: "/hello" });
  const used = process.cpuUsage(cpu);
  return (used.user + used.system) / REQUESTS;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function line(text: string): void {
  process.stdout.write(`${text}\n`);
}
