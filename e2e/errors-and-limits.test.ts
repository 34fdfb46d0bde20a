import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { buildApp } from "../src/app.js";
import { ExpensiveWorkGuard } from "../src/http/expensive-work-guard.js";
import { DatabaseWorkState } from "../src/limits/database-work-state.js";
import type { ExpensiveKind } from "../src/limits/shared-work-state.js";
import { ApiClient } from "../src/test-support/api-client.js";
import { startGatedChatServer } from "../src/test-support/gated-chat-server.js";
import { sampleStepData } from "../src/test-support/sample-steps.js";
import { openTestApp, type TestApp } from "../src/test-support/test-app.js";
import { TEST_DIALECTS } from "../src/test-support/test-database.js";
import { expectErrorShape, rowCount, tableSnapshot, walkToStepFour } from "./hardening-support.js";

const PERSONAS = "/step4/generate-personas";

describe.each(TEST_DIALECTS)("errors and limits on %s", (dialect) => {
  let t: TestApp;
  const extraApps: FastifyInstance[] = [];
  afterEach(async () => {
    await Promise.all(extraApps.splice(0).map((app) => app.close()));
    await t.close();
  });

  it("answers 413 for a body over 1 MiB and stores nothing", async () => {
    t = await openTestApp(dialect, { STORAGE_MODE: "dual" });
    const api = await ApiClient.signIn(t.app, "user_big");
    await walkToStepFour(api, "big");
    const before = await tableSnapshot(t);
    const huge = { data: { ...sampleStepData(3, "big"), content_types: ["x".repeat(1024 * 1024)] } };
    expectErrorShape(await api.put("/step/3", huge), 413, "payload_too_large");
    expectErrorShape(await api.post("/api-keys", { provider: "openai", api_key: "k".repeat(1024 * 1024 + 1) }), 413, "payload_too_large");
    expect(await tableSnapshot(t)).toEqual(before);
  });

  it("answers 415 for text/plain and form bodies", async () => {
    t = await openTestApp(dialect, { STORAGE_MODE: "dual" });
    const api = await ApiClient.signIn(t.app, "user_forms");
    const bodies = [
      { "content-type": "text/plain", payload: JSON.stringify({ data: sampleStepData(3, "f") }) },
      { "content-type": "application/x-www-form-urlencoded", payload: "provider=openai&api_key=sk-1234567890" },
      { "content-type": "multipart/form-data; boundary=x", payload: "--x\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n--x--" },
    ];
    for (const url of ["/step/1", "/step/1/complete", "/api-keys", PERSONAS]) {
      for (const { payload, ...headers } of bodies) {
        const response = await api.send({ method: url === "/step/1" ? "PUT" : "POST", url, payload, headers });
        expectErrorShape(response, 415, "unsupported_media_type");
      }
    }
    const token = await t.app.inject({ method: "POST", url: "/api/dev/token", payload: "user_id=x", headers: { "content-type": "text/plain" } });
    expect(token.statusCode).toBe(415);
    expect(await rowCount(t, "onboarding_sessions")).toBe(0);
  });

  async function expectUnauthorizedEverywhere(routes: readonly (readonly [string, string])[]): Promise<void> {
    const validToken = (await ApiClient.signIn(t.app, "user_real")).token;
    const headers = [
      {},
      { authorization: "" },
      { authorization: "Bearer garbage" },
      { authorization: "Bearer a.b.c" },
      { authorization: `Basic ${Buffer.from("user:pass").toString("base64")}` },
      { authorization: `Token ${validToken}` },
      { authorization: `Bearer ${validToken}x` },
      { authorization: `Bearer ${validToken} ${validToken}` },
    ];
    // A body that would be refused for its size or type must not be looked at before the caller is known.
    const oversize = { payload: "x".repeat(1024 * 1024 + 10), headers: { "content-type": "text/plain" } };
    for (const [method, url] of routes) {
      for (const request of [...headers.map((header) => ({ headers: header })), oversize]) {
        const response = await t.app.inject({ method: method as "GET", url, ...request });
        expect(response.statusCode, `${method} ${url} ${JSON.stringify(request.headers)}`).toBe(401);
        expectErrorShape({ status: response.statusCode, body: response.json(), text: response.body }, 401, "unauthorized");
        expect(response.body).not.toContain(validToken);
      }
    }
    expect(await rowCount(t, "onboarding_sessions")).toBe(0);
  }

  it("answers 401 before anything else on every /api/onboarding route", async () => {
    t = await openTestApp(dialect, { STORAGE_MODE: "dual" });
    await expectUnauthorizedEverywhere(AUTHENTICATED_ROUTES);
  });

  it("answers 401 before anything else on the website analysis routes", async () => {
    t = await openTestApp(dialect, { STORAGE_MODE: "dual" });
    await expectUnauthorizedEverywhere(WEBSITE_ROUTES);
  });

  it("answers 401 for an unknown /api/onboarding route without a token, 404 with one", async () => {
    t = await openTestApp(dialect, { STORAGE_MODE: "dual" });
    await expectUnauthorizedEverywhere([["GET", "/api/onboarding/admin"], ["POST", "/api/onboarding/step/7/complete"], ["DELETE", "/api/onboarding/summary"]]);
    const api = await ApiClient.signIn(t.app, "user_lost");
    expectErrorShape(await api.get("/admin"), 404, "not_found");
    expectErrorShape(await api.send({ method: "DELETE", url: "/api/onboarding/summary" }), 404, "not_found");
    const outside = await t.app.inject({ method: "GET", url: "/api/elsewhere" });
    expectErrorShape({ status: outside.statusCode, body: outside.json(), text: outside.body }, 404, "not_found");
  });

  it("answers 409 step_locked, stores nothing, for a step whose earlier steps are open", async () => {
    t = await openTestApp(dialect, { STORAGE_MODE: "dual" });
    const api = await ApiClient.signIn(t.app, "user_locked");
    expectErrorShape(await api.put("/step/3", { data: sampleStepData(3, "l") }), 409, "step_locked");
    expectErrorShape(await api.post("/step/2/complete", { data: sampleStepData(2, "l") }), 409, "step_locked");
    expectErrorShape(await api.post("/step/5/skip"), 409, "step_locked");
    expectErrorShape(await api.post(PERSONAS), 409, "step_locked");
    expect(await rowCount(t, "onboarding_sessions")).toBe(0);
    expect((await api.get("/step/3/validate")).body).toMatchObject({ can_proceed: false, step_status: "locked" });
  });

  it("answers 409 cannot_complete listing every missing step, then only those still missing", async () => {
    t = await openTestApp(dialect, { STORAGE_MODE: "dual" });
    const api = await ApiClient.signIn(t.app, "user_incomplete");
    const fresh = await api.post("/complete");
    expectErrorShape(fresh, 409, "cannot_complete");
    expect(fresh.body.errors.map((e: { path: string }) => e.path)).toEqual(["steps.1", "steps.2", "steps.3", "steps.4", "steps.5"]);
    expect(await rowCount(t, "onboarding_sessions")).toBe(0);

    const noKey = await api.post("/step/1/complete");
    expectErrorShape(noKey, 409, "cannot_complete");
    expect(noKey.body.errors[0].message).toMatch(/openai/);

    await walkToStepFour(api, "inc");
    const partly = await api.post("/complete");
    expectErrorShape(partly, 409, "cannot_complete");
    expect(partly.body.errors.map((e: { path: string }) => e.path)).toEqual(["steps.4", "steps.5"]);
    expect((await api.get("/status")).body).toMatchObject({ is_completed: false, completed_at: null });
  });

  it("takes a bodiless POST sent as application/json as no body, as fetch wrappers send skip and complete", async () => {
    t = await openTestApp(dialect, { STORAGE_MODE: "dual" });
    const api = await ApiClient.signIn(t.app, "user_clicks");
    await walkToStepFour(api, "clicks");
    const bodiless = (url: string) => api.send({ method: "POST", url, payload: "", headers: { "content-type": "application/json" } });
    for (const url of [PERSONAS, "/step/4/complete", "/step/5/skip", "/complete"]) {
      const response = await bodiless(url);
      expect(response.status, `${url}: ${response.text}`).toBe(200);
    }
    expect((await api.get("/status")).body).toMatchObject({ is_completed: true, completion_percentage: 100 });
  });

  it("answers 409 step_not_skippable for every step but 5", async () => {
    t = await openTestApp(dialect, { STORAGE_MODE: "dual" });
    const api = await ApiClient.signIn(t.app, "user_skipper");
    await walkToStepFour(api, "skip");
    const before = await tableSnapshot(t);
    for (const n of [1, 2, 3, 4, 6]) expectErrorShape(await api.post(`/step/${n}/skip`), 409, "step_not_skippable");
    expect(await tableSnapshot(t)).toEqual(before);
  });

  it("answers 503 database_unavailable when the database is gone under a running app", async () => {
    t = await openTestApp(dialect, { STORAGE_MODE: "dual" });
    const api = await ApiClient.signIn(t.app, "user_outage");
    await t.db.database.close();
    const calls = [
      () => api.get("/status"),
      () => api.get("/summary"),
      () => api.put("/step/1", { data: { api_keys: { openai: "sk-outage-12345678" } } }),
      () => api.post("/api-keys", { provider: "openai", api_key: "sk-outage-12345678" }),
      () => api.post("/complete"),
      () => api.post("/reset?hard=true"),
    ];
    for (const call of calls) {
      const response = await call();
      expectErrorShape(response, 503, "database_unavailable");
      expect(response.headers["retry-after"]).toMatch(/^\d+$/);
    }
    const dir = t.services.config.progressDir;
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
  });

  it("rate-limits persona generation per user: the 11th call in a minute gets 429 with Retry-After", async () => {
    t = await openTestApp(dialect, { STORAGE_MODE: "database" });
    const api = await ApiClient.signIn(t.app, "user_busy");
    await walkToStepFour(api, "busy");
    for (let i = 0; i < 10; i++) expect((await api.post(PERSONAS)).status).toBe(200);
    const limited = await api.post(PERSONAS, { selectedPlatforms: ["medium", "substack"] });
    expectErrorShape(limited, 429, "rate_limited");
    expect(Number(limited.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers["retry-after"])).toBeLessThanOrEqual(60);
    expect((await api.get("/step/4")).body.data.selectedPlatforms).not.toEqual(["medium", "substack"]);

    const other = await ApiClient.signIn(t.app, "user_calm");
    await walkToStepFour(other, "calm");
    expect((await other.post(PERSONAS)).status).toBe(200);
  });

  it("runs one generation for two concurrent persona requests of one user", async () => {
    const llm = await startGatedChatServer();
    try {
      t = await openTestApp(dialect, { STORAGE_MODE: "database", OPENAI_BASE_URL: llm.baseUrl, LLM_BASE_URL: llm.baseUrl, LLM_API_KEY: "sk-llm-server-key", LLM_MODEL: "test" });
      const guard = new ObservedGuard(new DatabaseWorkState(t.services.database), { limit: 10, windowMs: 60_000 });
      const app = await buildApp({ services: t.services, guard });
      extraApps.push(app);
      await app.ready();
      const api = await ApiClient.signIn(app, "user_twice");
      await walkToStepFour(api, "twice");
      const savesBefore = personaSaves(t, "user_twice");

      const first = api.post(PERSONAS);
      await llm.received(1);
      const second = api.post(PERSONAS);
      await guard.calls(2);
      llm.release();
      const [a, b] = await Promise.all([first, second]);

      expect(a.status, a.text).toBe(200);
      expect(b.body).toEqual(a.body);
      expect(a.body.llm_enriched).toBe(true);
      expect(llm.count()).toBe(1);
      expect(personaSaves(t, "user_twice")).toBe(savesBefore + 1);
    } finally {
      await llm.close();
    }
  });

  it("answers 409 file_collision in file mode for two ids with one sanitised name, and never touches the other's file", async () => {
    t = await openTestApp(dialect, { STORAGE_MODE: "file" });
    const dotted = await ApiClient.signIn(t.app, "user.a");
    const underscored = await ApiClient.signIn(t.app, "user_a");
    expect((await dotted.post("/step/1/complete", { data: { api_keys: { openai: "sk-dotted-user-1234" } } })).status).toBe(200);
    const file = join(t.services.config.progressDir, ".onboarding_progress_user_a.json");
    const before = readFileSync(file, "utf8");

    const calls = [
      () => underscored.get("/progress"),
      () => underscored.get("/summary"),
      () => underscored.put("/step/1", { data: { api_keys: { openai: "sk-underscore-5678" } } }),
      () => underscored.post("/api-keys", { provider: "gemini", api_key: "sk-underscore-5678" }),
      () => underscored.post("/reset?hard=false"),
      () => underscored.post("/reset?hard=true"),
    ];
    for (const call of calls) {
      const response = await call();
      expectErrorShape(response, 409, "file_collision");
      expect(response.text).not.toContain("1234");
    }
    expect(readFileSync(file, "utf8")).toBe(before);
    expect((await dotted.get("/api-keys")).body.api_keys).toEqual({ openai: "***************1234" });
  });
});

/** Every route of SPEC §4 under /api/onboarding, as [method, url with sample params]. */
const AUTHENTICATED_ROUTES: readonly (readonly [string, string])[] = [
  ["GET", "/status"],
  ["GET", "/progress"],
  ["GET", "/init"],
  ["GET", "/step/1"],
  ["PUT", "/step/1"],
  ["POST", "/step/1/complete"],
  ["POST", "/step/5/skip"],
  ["GET", "/step/1/validate"],
  ["GET", "/api-keys"],
  ["POST", "/api-keys"],
  ["DELETE", "/api-keys/openai"],
  ["GET", "/providers"],
  ["GET", "/research-preferences"],
  ["POST", PERSONAS],
  ["GET", "/summary"],
  ["POST", "/complete"],
  ["POST", "/reset?hard=true"],
  // The old platform's routes (issue 12): authenticated like every other.
  ["GET", "/health"],
  ["POST", "/start"],
  ["GET", "/resume"],
  ["GET", "/config"],
  ["GET", "/api-keys/onboarding"],
  ["POST", "/api-keys/validate"],
  ["POST", "/step4/generate-personas-async"],
  ["GET", "/step4/persona-task/00000000-0000-4000-8000-000000000000"],
  ["GET", "/step4/persona-latest"],
].map(([method, url]) => [method as string, `/api/onboarding${url}`] as const);

/** Step 2's routes, being added beside this test; their checks run once src/app.ts registers them. */
const WEBSITE_ROUTES: readonly (readonly [string, string])[] = [
  ["POST", "/api/onboarding/website/analyze"],
  ["GET", "/api/onboarding/website-analysis"],
];

/** Lets a test wait until a given number of requests reached the guard. */
class ObservedGuard extends ExpensiveWorkGuard {
  #count = 0;
  #waiters: { n: number; resolve: () => void }[] = [];

  override run<T>(userId: string, kind: ExpensiveKind, task: () => Promise<T>): Promise<T> {
    this.#count += 1;
    for (const waiter of this.#waiters.filter((w) => w.n <= this.#count)) waiter.resolve();
    return super.run(userId, kind, task);
  }

  calls(n: number): Promise<void> {
    return n <= this.#count ? Promise.resolve() : new Promise((resolve) => this.#waiters.push({ n, resolve }));
  }
}

/** Persona saves logged for the user: one per generation that reached the database. */
function personaSaves(t: TestApp, userId: string): number {
  return t.logs.filter((line) => line.includes(`Persona data saved to database for user ${userId}`)).length;
}
