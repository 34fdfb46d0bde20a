import { afterEach, describe, expect, it } from "vitest";
import type { Services } from "../src/composition/services.js";
import { ExpensiveWorkGuard } from "../src/http/expensive-work-guard.js";
import { DatabaseWorkState } from "../src/limits/database-work-state.js";
import type { ExpensiveKind } from "../src/limits/shared-work-state.js";
import { ApiClient } from "../src/test-support/api-client.js";
import { startInstances, type AppInstances } from "../src/test-support/app-instances.js";
import { startChatCompletionsServer, type ChatCompletionsTestServer, type ChatServerReply } from "../src/test-support/chat-completions-test-server.js";
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from "../src/test-support/test-database.js";
import { expectErrorShape, walkToStepFour } from "./hardening-support.js";
import { pollTask } from "./persona-task-support.js";

const ASYNC = "/step4/generate-personas-async";
const task = (id: string) => `/step4/persona-task/${id}`;
const FOUR_KEYS = ["corePersona", "platformPersonas", "qualityMetrics", "selectedPlatforms"] as const;

/** Counts the requests that found the user's generation running and joined it. */
class JoinCountingGuard extends ExpensiveWorkGuard {
  joins = 0;
  override running<T>(userId: string, kind: ExpensiveKind): Promise<T> | undefined {
    const running = super.running<T>(userId, kind);
    if (running !== undefined) this.joins++;
    return running;
  }
}

/**
 * Step 4's task routes across app instances on one database (a PostgreSQL server, or one SQLite
 * file shared by two connections), with the model behind them played by a local server.
 */
describe.each(TEST_DIALECTS)("persona tasks on %s", (dialect) => {
  let db: TestDatabase;
  let running: AppInstances | undefined;
  let chat: ChatCompletionsTestServer | undefined;
  afterEach(async () => {
    await chat?.close().catch(() => undefined);
    await running?.close();
    await db.cleanup();
    chat = undefined;
    running = undefined;
  });

  /** Two instances whose model is a local server answering `reply`; null on PGlite, which lives in one process. */
  async function twoInstances(reply: (n: number) => ChatServerReply, guard?: (services: Services) => ExpensiveWorkGuard): Promise<[ApiClient, ApiClient] | null> {
    db = await openTestDatabase(dialect);
    if (db.location === undefined) return null;
    let calls = 0;
    chat = await startChatCompletionsServer(() => reply(++calls));
    running = await startInstances(db, 2, { OPENAI_BASE_URL: chat.baseUrl.toString(), LLM_BASE_URL: chat.baseUrl.toString(), LLM_API_KEY: "sk-local-test-model-0000" }, (_index, services) => (guard ? { guard: guard(services) } : {}));
    const [a, b] = await Promise.all(running.instances.map(({ app }) => ApiClient.signIn(app, "user_tasks")));
    await walkToStepFour(a!, "tasks");
    return [a!, b!];
  }

  it("runs a task started on one instance while the other polls it, answers every start meanwhile with it, and saves step 4 as the sync route does", async (context) => {
    const guards: JoinCountingGuard[] = [];
    const apis = await twoInstances(
      () => ({ hang: true }),
      (services) => {
        guards.push(new JoinCountingGuard(new DatabaseWorkState(services.database), { limit: 10, windowMs: 60_000 }));
        return guards.at(-1)!;
      },
    );
    if (apis === null) return context.skip("PGlite lives inside one process");
    const [a, b] = apis;

    const started = await a.post(ASYNC, { selectedPlatforms: ["linkedin", "blog"] });
    expect(started.status, started.text).toBe(202);
    expect(started.body).toEqual({ task_id: expect.stringMatching(/^[0-9a-f-]{36}$/), status: "pending", message: expect.any(String) });
    const id: string = started.body.task_id;
    await until(() => chat!.requests.length === 1);

    const midway = await b.get(task(id));
    expect(midway.body).toMatchObject({ task_id: id, status: "running", progress: 30, result: null, error: null });
    expect(midway.body.current_step).toMatch(/language model/);
    expect((await b.post(ASYNC)).body).toMatchObject({ task_id: id, status: "running" });
    expect((await a.post(ASYNC, { selected_platforms: ["blog"] })).body).toMatchObject({ task_id: id });
    const joinsBefore = guards[0]!.joins;
    const syncOnA = a.post("/step4/generate-personas");
    // The model answers only once the synchronous request has joined the running generation.
    await until(() => guards[0]!.joins > joinsBefore);
    await chat!.close();
    const done = await pollTask(b, id);
    const sync = await syncOnA;
    expect(sync.status).toBe(200);
    expect(chat!.requests).toHaveLength(1);
    expect(done.result).toEqual({
      success: true,
      ...sync.body,
      core_persona: sync.body.corePersona,
      platform_personas: sync.body.platformPersonas,
      quality_metrics: sync.body.qualityMetrics,
      selected_platforms: sync.body.selectedPlatforms,
    });
    expect(done.result.selectedPlatforms).toEqual(["linkedin", "blog"]);
    expect(done.result.llm_enriched).toBe(false);
    expect(done.result.warnings.join(" ")).toMatch(/The language model was not available; the persona was generated/);
    expect(done).toMatchObject({ status: "completed", progress: 100, error: null, current_step: expect.stringMatching(/^Persona ready/) });
    const progress = done.progress_messages.map((m: { progress: number }) => m.progress);
    expect(progress).toEqual([...progress].sort((x, y) => x - y));
    expect(progress).toEqual([0, 10, 30, 90, 100]);

    const stepFour = (await b.get("/step/4")).body;
    expect(stepFour.data).toEqual(pick(done.result, FOUR_KEYS));
    expect(stepFour.status).toBe("in_progress");
    const latest = (await b.get("/step4/persona-latest")).body;
    expect(latest).toMatchObject({ success: true, persona: { ...pick(done.result, FOUR_KEYS), core_persona: done.result.corePersona } });
  });

  it("completes with the deterministic persona and a warning when the model answers 500", async (context) => {
    const apis = await twoInstances(() => ({ status: 500, rawBody: '{"error":{"message":"the model is down"}}' }));
    if (apis === null) return context.skip("PGlite lives inside one process");
    const [a, b] = apis;

    const id = (await a.post(ASYNC, { selected_platforms: ["medium"] })).body.task_id;
    const done = await pollTask(b, id);

    expect(done).toMatchObject({ status: "completed", error: null, result: { success: true, llm_enriched: false, selectedPlatforms: ["medium"] } });
    expect(done.result.warnings.join(" ")).toMatch(/The language model was not available; the persona was generated/);
    expect(done.result.warnings.join(" ")).not.toMatch(/500|down/);
    const sync = await b.post("/step4/generate-personas", { selectedPlatforms: ["medium"] });
    expect(pick(sync.body, FOUR_KEYS)).toEqual(pick(done.result, FOUR_KEYS));
    expect(chat!.requests).toHaveLength(2);
  });

  it("answers 404 for another user's task and for unknown ids on every instance, and a hard reset erases the tasks", async (context) => {
    const apis = await twoInstances(() => ({ status: 500, rawBody: "{}" }));
    if (apis === null) return context.skip("PGlite lives inside one process");
    const [a, b] = apis;
    const id = (await a.post(ASYNC)).body.task_id;
    await pollTask(b, id);

    for (const app of running!.instances.map((instance) => instance.app)) {
      const stranger = await ApiClient.signIn(app, "user_stranger");
      expectErrorShape(await stranger.get(task(id)), 404, "not_found");
      expectErrorShape(await stranger.get("/step4/persona-latest"), 404, "not_found");
    }
    expectErrorShape(await a.get(task("00000000-0000-4000-8000-000000000000")), 404, "not_found");
    expectErrorShape(await a.get(task("x".repeat(65))), 400, "validation_failed");

    expect((await b.post("/reset?hard=true")).body).toMatchObject({ hard: true, erased: true });
    expectErrorShape(await a.get(task(id)), 404, "not_found");
    expect(await db.database.kysely.selectFrom("persona_tasks").selectAll().execute()).toEqual([]);
  });

  it("refuses a locked step 4 with 409 and a start past the user's limit with 429 on either instance (as the sync route), creating no task for either", async (context) => {
    const apis = await twoInstances(
      () => ({ status: 500, rawBody: "{}" }),
      (services) => new ExpensiveWorkGuard(new DatabaseWorkState(services.database), { limit: 2, windowMs: 60_000 }),
    );
    if (apis === null) return context.skip("PGlite lives inside one process");
    const [a, b] = apis;
    const newcomer = await ApiClient.signIn(running!.instances[0]!.app, "user_newcomer");
    expectErrorShape(await newcomer.post(ASYNC), 409, "step_locked");

    for (let i = 0; i < 2; i++) await pollTask(a, (await a.post(ASYNC)).body.task_id);
    const limited = await a.post(ASYNC);
    expectErrorShape(limited, 429, "rate_limited");
    expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
    expectErrorShape(await a.post("/step4/generate-personas"), 429, "rate_limited");
    expectErrorShape(await b.post(ASYNC), 429, "rate_limited");
    expectErrorShape(await b.post("/step4/generate-personas"), 429, "rate_limited");
    const rows = await db.database.kysely.selectFrom("persona_tasks").select(["user_id", "status"]).execute();
    expect(rows).toEqual([
      { user_id: "user_tasks", status: "completed" },
      { user_id: "user_tasks", status: "completed" },
    ]);
  });
});

function pick(source: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((key) => [key, source[key]]));
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

