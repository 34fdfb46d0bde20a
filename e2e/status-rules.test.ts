import { afterEach, describe, expect, it } from "vitest";
import { FIXTURE_PAGE } from "../src/test-support/fixture-page.js";
import { ApiClient } from "../src/test-support/api-client.js";
import { sampleStepData } from "../src/test-support/sample-steps.js";
import { openTestApp, type TestApp } from "../src/test-support/test-app.js";
import { TEST_DIALECTS } from "../src/test-support/test-database.js";
import { htmlPage, startPageServer, type TestPageServer } from "../src/test-support/test-page-server.js";
import { expectErrorShape } from "./hardening-support.js";

const OPENAI_KEY = "sk-rules-OPENAI-secret-1111";
const GEMINI_KEY = "AIzaSy-rules-GEMINI-secret-2222";
const EXA_KEY = "exa-rules-secret-3333";

/**
 * SPEC §4's two rules about edits of done steps, over HTTP on both databases: a status never
 * goes down by an edit (409 step_done, nothing saved), and the last language-model key of a
 * done step 1 cannot be removed (409 last_model_key, nothing removed).
 */
describe.each(TEST_DIALECTS)("status rules on %s", (dialect) => {
  let t: TestApp;
  const servers: TestPageServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
    await t.close();
  });

  /** Steps 1-4 completed, 5 skipped, onboarding completed. */
  async function completedOnboarding(userId: string): Promise<ApiClient> {
    const api = await ApiClient.signIn(t.app, userId);
    expect((await api.post("/step/1/complete", { data: { api_keys: { openai: OPENAI_KEY } } })).status).toBe(200);
    for (const n of [2, 3, 4] as const) expect((await api.post(`/step/${n}/complete`, { data: sampleStepData(n, "rules") })).status).toBe(200);
    expect((await api.post("/step/5/skip")).status).toBe(200);
    expect((await api.post("/complete")).status).toBe(200);
    return api;
  }

  const statuses = async (api: ApiClient) => ((await api.get("/progress")).body.steps as { status: string }[]).map((s) => s.status);
  const DONE = ["completed", "completed", "completed", "completed", "skipped", "completed"];

  it("keeps every step done after POST /complete: drafts that meet the rule keep it (skipped 5 becomes completed), others are refused with nothing saved", async () => {
    t = await openTestApp(dialect, { STORAGE_MODE: "dual" });
    const api = await completedOnboarding("user_rules_done");
    const completedAt3 = (await api.get("/step/3")).body.completed_at;

    const step5 = await api.put("/step/5", { data: sampleStepData(5, "later") });
    expect(step5.status, step5.text).toBe(200);
    expect(step5.body).toMatchObject({ status: "completed", data: sampleStepData(5, "later") });
    const step3 = await api.put("/step/3", { data: { ...sampleStepData(3, "later"), research_depth: "Expert" } });
    expect(step3.body).toMatchObject({ status: "completed", completed_at: completedAt3 });

    // A website without an analysis does not meet step 2's rule: refused, the analysis kept.
    const before = (await api.get("/step/2")).body;
    const refused = await api.put("/step/2", { data: { website: "https://elsewhere.example.com" } });
    expectErrorShape(refused, 409, "step_done");
    expect(refused.body.detail).toMatch(/^Website Analysis is already done/);
    expect((await api.get("/step/2")).body).toEqual(before);

    expect(await statuses(api)).toEqual([...DONE.slice(0, 4), "completed", "completed"]);
    expect((await api.get("/status")).body).toMatchObject({ is_completed: true, completion_percentage: 100, current_step: 6 });
  });

  it("lets the generators save over a completed step with a valid result, and refuses a failed analysis without lowering the step", async () => {
    t = await openTestApp(dialect, { STORAGE_MODE: "dual", WEBSITE_FETCH_ALLOW_PRIVATE: "true" });
    const site = await startPageServer({ "/": htmlPage(FIXTURE_PAGE) });
    servers.push(site);
    const api = await completedOnboarding("user_rules_generators");

    const analysed = await api.post("/website/analyze", { website: `${site.origin}/` });
    expect(analysed.status, analysed.text).toBe(200);
    expect((await api.get("/step/2")).body).toMatchObject({ status: "completed", data: { website: `${site.origin}/` } });

    const failed = await api.post("/website/analyze", { website: `${site.origin}/gone` });
    expectErrorShape(failed, 409, "step_done");
    expect((await api.get("/step/2")).body).toMatchObject({ status: "completed", data: { website: `${site.origin}/` } });

    const persona = await api.post("/step4/generate-personas", { selectedPlatforms: ["blog"] });
    expect(persona.status, persona.text).toBe(200);
    expect((await api.get("/step/4")).body).toMatchObject({ status: "completed", data: { selectedPlatforms: ["blog"] } });

    expect(await statuses(api)).toEqual(DONE);
    expect((await api.get("/status")).body).toMatchObject({ is_completed: true, completion_percentage: 100 });
  });

  it("completes a skipped step 5 by a draft before POST /complete, keeping the percentage", async () => {
    t = await openTestApp(dialect, { STORAGE_MODE: "database" });
    const api = await ApiClient.signIn(t.app, "user_rules_skip");
    expect((await api.post("/step/1/complete", { data: { api_keys: { openai: OPENAI_KEY } } })).status).toBe(200);
    for (const n of [2, 3, 4] as const) await api.post(`/step/${n}/complete`, { data: sampleStepData(n, "skip") });
    await api.post("/step/5/skip");
    const percentage = (await api.get("/status")).body.completion_percentage;
    expect((await api.put("/step/5", { data: sampleStepData(5, "skip") })).body.status).toBe("completed");
    expect((await api.get("/status")).body).toMatchObject({ completion_percentage: percentage, current_step: 6, is_completed: false });
  });

  it("refuses to remove the last language-model key of a done step 1 with 409 last_model_key, removing nothing", async () => {
    t = await openTestApp(dialect, { STORAGE_MODE: "dual" });
    const api = await completedOnboarding("user_rules_keys");
    expect((await api.post("/api-keys", { provider: "exa", api_key: EXA_KEY })).status).toBe(200);
    const keys = (await api.get("/api-keys")).body.api_keys;

    const refused = await api.delete("/api-keys/openai");
    expectErrorShape(refused, 409, "last_model_key");
    expect((await api.get("/api-keys")).body.api_keys).toEqual(keys);
    expect((await api.get("/summary")).body.capabilities_overview.ai_content_generation).toBe(true);

    // Not the last model key, or not a model key: removed.
    expect((await api.delete("/api-keys/exa")).status).toBe(204);
    expect((await api.post("/api-keys", { provider: "gemini", api_key: GEMINI_KEY })).status).toBe(200);
    expect((await api.delete("/api-keys/openai")).status).toBe(204);
    expectErrorShape(await api.delete("/api-keys/gemini"), 409, "last_model_key");
    expect(Object.keys((await api.get("/api-keys")).body.api_keys)).toEqual(["gemini"]);
    expect(await statuses(api)).toEqual(DONE);

    // Once step 1 is no longer done (a soft reset), the last key may go.
    expect((await api.post("/reset?hard=false")).status).toBe(200);
    expect((await api.delete("/api-keys/gemini")).status).toBe(204);
    expect((await api.get("/api-keys")).body.api_keys).toEqual({});
  });

  it("lets the last saved model key go when the server's environment supplies one (LOCAL_ENV_KEYS)", async () => {
    process.env.MISTRAL_API_KEY = "env-mistral-key-for-rules";
    try {
      t = await openTestApp(dialect, { STORAGE_MODE: "database", LOCAL_ENV_KEYS: "true" });
      const api = await completedOnboarding("user_rules_env");
      expect((await api.delete("/api-keys/openai")).status).toBe(204);
      expect((await api.get("/step/1")).body.status).toBe("completed");
    } finally {
      delete process.env.MISTRAL_API_KEY;
    }
  });
});
