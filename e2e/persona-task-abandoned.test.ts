import { join } from "node:path";
import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { buildApp } from "../src/app.js";
import { createServices, type Services } from "../src/composition/services.js";
import { loadConfig } from "../src/config/config.js";
import { ExpensiveWorkGuard } from "../src/http/expensive-work-guard.js";
import { DatabaseWorkState } from "../src/limits/database-work-state.js";
import { createLogger } from "../src/logging/logger.js";
import { DEFAULT_PERSONA_TASK_TIMEOUTS, INTERRUPTED, PersonaTaskStore } from "../src/steps/persona/tasks/persona-task-store.js";
import { ApiClient } from "../src/test-support/api-client.js";
import { clerkIdentity } from "../src/test-support/clerk-identity.js";
import { startChatCompletionsServer, type ChatCompletionsTestServer } from "../src/test-support/chat-completions-test-server.js";
import { sampleStepData } from "../src/test-support/sample-steps.js";
import { databaseUrlOf, openTestDatabase, TEST_DIALECTS, type TestDatabase } from "../src/test-support/test-database.js";
import type { FastifyInstance } from "fastify";
import { pollTask } from "./persona-task-support.js";
import { listeningUrl, startServerProcess, type ServerProcess } from "../src/test-support/server-process.js";
import { closedModelProviders } from "../src/test-support/closed-model-providers.js";

const USER = "user_2abandoned";

/**
 * A server that dies mid-task leaves its task unfinished in the database; the next read of it
 * after the timeout, on a surviving instance, says it failed, and the user may start again.
 */
describe.each(TEST_DIALECTS)("a persona task whose server died, on %s", (dialect) => {
  let db: TestDatabase;
  let server: ServerProcess | undefined;
  let chat: ChatCompletionsTestServer | undefined;
  let survivor: { app: FastifyInstance; services: Services } | undefined;
  afterEach(async () => {
    if (server?.child.exitCode === null) server.child.kill("SIGKILL");
    await chat?.close();
    await survivor?.app.close();
    await db.cleanup();
  });

  it("reads as running until the timeout, then as failed, and no longer blocks a new start", async (context) => {
    db = await openTestDatabase(dialect);
    if (db.location === undefined) return context.skip("PGlite lives inside one process");
    const identity = await clerkIdentity();
    const env = {
      ...identity.env,
      STORAGE_MODE: "database",
      LOCAL_ENV_KEYS: "false",
      DATA_DIR: join(db.tempDir, "data"),
      ...closedModelProviders(),
    };
    chat = await startChatCompletionsServer(() => ({ hang: true }));
    server = startServerProcess({
      ...env,
      DATABASE_URL: databaseUrlOf(db),
      OPENAI_BASE_URL: chat.baseUrl.toString(),
    });
    const base = `${await listeningUrl(server)}/api/onboarding`;
    const token = await identity.token(USER);
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    expect((await call("POST", "/step/1/complete", { data: { api_keys: { openai: "sk-abandoned-key-0001" } } })).status).toBe(200);
    for (const n of [2, 3] as const) expect((await call("POST", `/step/${n}/complete`, { data: sampleStepData(n, "gone") })).status).toBe(200);
    const started = await call("POST", "/step4/generate-personas-async");
    expect(started.status).toBe(202);
    const taskId = String(started.body.task_id);
    for (let i = 0; chat.requests.length === 0; i++) {
      if (i > 400) throw new Error("the server never asked the model");
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    server.child.kill("SIGKILL");
    await server.exited;

    let offsetMs = 0;
    const services = await createServices(loadConfig(env), createLogger("silent", new Writable({ write: (_c, _e, done) => done() })), { database: db.database });
    const tasks = new PersonaTaskStore(db.database, DEFAULT_PERSONA_TASK_TIMEOUTS, () => new Date(Date.now() + offsetMs));
    // The dead server also held the user's generation run (its lease, shorter than the task's timeout); the same clock for both.
    const guard = new ExpensiveWorkGuard(new DatabaseWorkState(db.database), { limit: 10, windowMs: 60_000, now: () => Date.now() + offsetMs });
    survivor = { app: await buildApp({ services, personaTasks: tasks, guard }), services };
    const api = ApiClient.withToken(survivor.app, token);

    expect((await api.get(`/step4/persona-task/${taskId}`)).body).toMatchObject({ status: "running", progress: 30, error: null });
    expect((await api.post("/step4/generate-personas-async")).body).toMatchObject({ task_id: taskId, status: "running" });

    offsetMs = DEFAULT_PERSONA_TASK_TIMEOUTS.staleAfterMs + 1_000;
    const dead = await api.get(`/step4/persona-task/${taskId}`);
    expect(dead.body).toMatchObject({ task_id: taskId, status: "failed", progress: 30, error: INTERRUPTED, result: null });

    const again = await api.post("/step4/generate-personas-async");
    expect(again.status).toBe(202);
    expect(again.body.task_id).not.toBe(taskId);
    const done = await pollTask(api, again.body.task_id);
    expect(done).toMatchObject({ status: "completed", result: { success: true, llm_enriched: false } });
    expect((await api.get("/step/4")).body.data.corePersona).toEqual(done.result.corePersona);
  });
});
