import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { progressFileName } from "../src/storage/progress-file-name.js";
import { PersonaTaskStore } from "../src/steps/persona/tasks/persona-task-store.js";
import { ApiClient } from "../src/test-support/api-client.js";
import { sampleStepData } from "../src/test-support/sample-steps.js";
import { openTestApp, type TestApp } from "../src/test-support/test-app.js";
import { TEST_DIALECTS } from "../src/test-support/test-database.js";
import { expectErrorShape } from "./hardening-support.js";

const TOKEN = "metrics-token-0123456789abcdef";

/** One sample's value from a Prometheus text exposition, or undefined when the series is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe.each(TEST_DIALECTS)("GET /metrics on %s", (dialect) => {
  let t: TestApp;
  afterEach(async () => {
    await t.close();
  });

  async function scrape(headers: Record<string, string> = {}): Promise<string> {
    const response = await t.app.inject({ method: "GET", url: "/metrics", headers });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
    return response.body;
  }

  it("counts requests by route pattern and status (never the raw URL), with latency histograms and process metrics", async () => {
    t = await openTestApp(dialect, { STORAGE_MODE: "database" });
    const api = await ApiClient.signIn(t.app, "user_metrics");
    expect((await api.get("/step/3")).status).toBe(200);
    expect((await api.get("/step/2")).status).toBe(200);
    expect((await api.get("/step/9")).status).toBe(400);
    expect((await api.get("/no-such-route/user_secret_path?token=abc")).status).toBe(404);

    const text = await scrape();
    expect(sample(text, 'http_requests_total{method="GET",route="/api/onboarding/step/:n",status_code="200"}')).toBe(2);
    expect(sample(text, 'http_requests_total{method="GET",route="/api/onboarding/step/:n",status_code="400"}')).toBe(1);
    expect(sample(text, 'http_requests_total{method="GET",route="unmatched",status_code="404"}')).toBe(1);
    expect(sample(text, 'http_request_duration_seconds_count{method="GET",route="/api/onboarding/step/:n",status_code="200"}')).toBe(2);
    expect(sample(text, 'http_request_duration_seconds_bucket{le="+Inf",method="GET",route="/api/onboarding/step/:n",status_code="200"}')).toBe(2);
    expect(text).not.toContain("user_secret_path");
    expect(text).not.toContain("/step/3");
    expect(sample(text, "process_resident_memory_bytes")).toBeGreaterThan(10_000_000);
    expect(text).toContain("nodejs_eventloop_lag_seconds");
    expect(sample(text, "onboarding_database_up")).toBe(1);
  });

  it("counts saves by step, action and storage mode, and progress files the dual mode could not write", async () => {
    t = await openTestApp(dialect, { STORAGE_MODE: "dual" });
    const api = await ApiClient.signIn(t.app, "user_saves");
    expect((await api.put("/step/1", { data: { api_keys: { openai: "sk-metrics-key-0001" } } })).status).toBe(200);
    expect((await api.post("/api-keys", { provider: "gemini", api_key: "gm-metrics-key-0002" })).status).toBe(200);
    expect((await api.post("/step/1/complete")).status).toBe(200);
    expect((await api.put("/step/3", { data: sampleStepData(3, "m") })).status).toBe(409);
    let text = await scrape();
    expect(sample(text, 'onboarding_step_saves_total{step="1",action="draft",storage_mode="dual"}')).toBe(2);
    expect(sample(text, 'onboarding_step_saves_total{step="1",action="complete",storage_mode="dual"}')).toBe(1);
    expect(text).not.toContain('step="3"');
    expect(sample(text, "onboarding_file_mirror_failures_total")).toBe(0);

    // A folder where the user's progress file should be: the database commits, the mirror fails and is counted.
    const blocked = join(t.services.config.progressDir, progressFileName("user_mirror"));
    mkdirSync(join(blocked, "in-the-way"), { recursive: true });
    const other = await ApiClient.signIn(t.app, "user_mirror");
    expect((await other.put("/step/1", { data: { api_keys: { openai: "sk-metrics-key-0003" } } })).status).toBe(200);
    // The file follows the commit off the request's path: its failure is counted once it was tried.
    await t.services.store.settled();
    text = await scrape();
    expect(sample(text, "onboarding_file_mirror_failures_total")).toBe(1);
  });

  it("shows database connections in use and waiting, and persona tasks by status", async () => {
    t = await openTestApp(dialect, { STORAGE_MODE: "database" });
    const tasks = new PersonaTaskStore(t.db.database);
    await tasks.create("user_task_a");
    const { task } = await tasks.create("user_task_b");
    await tasks.write(task.taskId, { status: "completed", progress: 100, progressMessages: [] });

    let text = await scrape();
    expect(sample(text, 'onboarding_persona_tasks{status="pending"}')).toBe(1);
    expect(sample(text, 'onboarding_persona_tasks{status="completed"}')).toBe(1);
    expect(sample(text, 'onboarding_persona_tasks{status="running"}')).toBe(0);
    expect(sample(text, "onboarding_database_connections_in_use")).toBe(0);
    expect(sample(text, "onboarding_database_connections_max")).toBe(dialect === "sqlite" ? 1 : 20);

    // A transaction held open while Prometheus scrapes: its connection is in use; on SQLite, a
    // second query waits for the one connection (so do the scrape's own, giving up after a second).
    let release!: () => void;
    let begun!: () => void;
    const holding = new Promise<void>((resolve) => (begun = resolve));
    const held = t.db.database.writeTransaction(
      () =>
        new Promise<void>((resolve) => {
          release = resolve;
          begun();
        }),
    );
    await holding;
    const second = t.db.database.ping();
    text = await scrape();
    release();
    await held;
    await second;
    expect(sample(text, "onboarding_database_connections_in_use")).toBeGreaterThanOrEqual(1);
    if (dialect === "sqlite") expect(sample(text, "onboarding_database_connections_waiting")).toBeGreaterThanOrEqual(1);
  });

  it("answers only loopback callers without METRICS_TOKEN, and only the token's bearer with it", async () => {
    t = await openTestApp(dialect, { STORAGE_MODE: "database" });
    const remote = await t.app.inject({ method: "GET", url: "/metrics", remoteAddress: "10.1.2.3" });
    expectErrorShape({ status: remote.statusCode, body: remote.json(), text: remote.body }, 403, "forbidden");
    await t.close();

    t = await openTestApp(dialect, { STORAGE_MODE: "database", METRICS_TOKEN: TOKEN });
    for (const headers of [{}, { authorization: "Bearer wrong-token-0123456789" }, { authorization: `Basic ${TOKEN}` }]) {
      const refused = await t.app.inject({ method: "GET", url: "/metrics", headers });
      expectErrorShape({ status: refused.statusCode, body: refused.json(), text: refused.body }, 401, "unauthorized");
    }
    const fromAfar = await t.app.inject({ method: "GET", url: "/metrics", remoteAddress: "10.1.2.3", headers: { authorization: `Bearer ${TOKEN}` } });
    expect(fromAfar.statusCode).toBe(200);
    expect(fromAfar.body).toContain("http_requests_total");
  });
});
