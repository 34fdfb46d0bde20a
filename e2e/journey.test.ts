import { afterEach, describe, expect, it } from "vitest";
import { sampleStepData } from "../src/test-support/sample-steps.js";
import { ApiClient } from "../src/test-support/api-client.js";
import { openTestApp, type TestApp } from "../src/test-support/test-app.js";
import { TEST_DIALECTS } from "../src/test-support/test-database.js";
import { storedText } from "./hardening-support.js";

const OPENAI_KEY = "sk-journey-OPENAI-secret-7788";
const GEMINI_KEY = "AIzaSy-journey-GEMINI-secret-4455";
const MODES = ["dual", "database", "file"] as const;

describe.each(TEST_DIALECTS.flatMap((dialect) => MODES.map((mode) => [dialect, mode] as const)))("journey on %s in %s mode", (dialect, mode) => {
  let t: TestApp;
  afterEach(() => t.close());

  it("walks steps 1-5, summarises from storage, completes, and never shows a key", async () => {
    t = await openTestApp(dialect, { STORAGE_MODE: mode });
    const api = await ApiClient.signIn(t.app, "user_2abc123xyz");

    expect((await api.get("/status")).body).toMatchObject({ is_completed: false, current_step: 1, completion_percentage: 0, started_at: null });

    const saved = await api.post("/api-keys", { provider: "gemini", api_key: GEMINI_KEY });
    expect(saved.body).toEqual({ message: "API key for gemini saved", provider: "gemini", status: "saved", masked: "*".repeat(GEMINI_KEY.length - 4) + "4455" });
    const step1 = await api.post("/step/1/complete", { data: { api_keys: { openai: OPENAI_KEY } } });
    expect(step1.status).toBe(200);
    expect(step1.body.data.api_keys).toEqual({ gemini: "*".repeat(GEMINI_KEY.length - 4) + "4455", openai: "*".repeat(OPENAI_KEY.length - 4) + "7788" });

    expect((await api.post("/step/3/complete", { data: sampleStepData(3, "j") })).body.code).toBe("step_locked");
    for (const n of [2, 3, 4] as const) {
      const draft = await api.put(`/step/${n}`, { data: sampleStepData(n, "j") });
      expect(draft.status, JSON.stringify(draft.body)).toBe(200);
      expect(draft.body).toMatchObject({ step_number: n, status: "in_progress", data: sampleStepData(n, "j") });
      expect((await api.post(`/step/${n}/complete`)).status).toBe(200);
    }
    expect((await api.post("/complete")).body).toMatchObject({ code: "cannot_complete", errors: [{ path: "steps.5" }] });
    expect((await api.post("/step/5/complete", { data: sampleStepData(5, "j") })).status).toBe(200);

    const summary = await api.get("/summary");
    expect(summary.status).toBe(200);
    expect(summary.body).toMatchObject({
      user_id: "user_2abc123xyz",
      api_keys: { count: 2 },
      website_url: "https://j.example.com",
      research_preferences: sampleStepData(3, "j"),
      persona: sampleStepData(4, "j"),
      integrations: sampleStepData(5, "j"),
      persona_readiness: { ready: true, missing_data: [] },
      capabilities_overview: { ai_content_generation: true, website_analysis: true, research_capabilities: true, persona_generation: true, content_optimization: true },
    });
    expect(Object.keys(summary.body.persona).sort()).toEqual(["corePersona", "platformPersonas", "qualityMetrics", "selectedPlatforms"]);
    expect(summary.body.style_analysis.writing_style).toEqual({ tone: "friendly-j", voice: "active" });

    const completed = await api.post("/complete");
    expect(completed.body).toMatchObject({ message: "Onboarding completed", completion_percentage: 100 });
    const again = await api.post("/complete");
    expect(again.body.completed_at).toBe(completed.body.completed_at);
    expect((await api.get("/status")).body).toMatchObject({ is_completed: true, completion_percentage: 100, current_step: 6, completed_at: completed.body.completed_at });

    const everything = [
      ...(await Promise.all(["/progress", "/init", "/api-keys", "/summary", "/step/1", "/providers"].map((p) => api.get(p)))).map((r) => r.text),
      ...t.logs,
      ...(await storedText(t, mode)),
    ].join("\n");
    for (const key of [OPENAI_KEY, GEMINI_KEY]) expect(everything).not.toContain(key);
    expect(everything).not.toContain(api.token);
  });

  it("keeps users apart on every route", async () => {
    t = await openTestApp(dialect, { STORAGE_MODE: mode });
    const alice = await ApiClient.signIn(t.app, "user_alice");
    const bob = await ApiClient.signIn(t.app, "user_bob");
    await Promise.all([
      alice.post("/step/1/complete", { data: { api_keys: { openai: "sk-alice-only-1111" } } }),
      bob.post("/step/1/complete", { data: { api_keys: { anthropic: "sk-ant-bob-only-2222" } } }),
    ]);
    await Promise.all([alice.put("/step/2", { data: sampleStepData(2, "alice") }), bob.put("/step/2", { data: sampleStepData(2, "bob") })]);
    for (const [me, other] of [[alice, "bob"], [bob, "alice"]] as const) {
      const texts = (await Promise.all(["/progress", "/init", "/api-keys", "/summary", "/step/2", "/providers", "/status"].map((p) => me.get(p)))).map((r) => r.text);
      for (const text of texts) expect(text).not.toContain(other);
    }
    expect((await alice.get("/api-keys")).body.api_keys).toEqual({ openai: "**************1111" });
    expect((await bob.get("/init")).body.user).toEqual({ id: "user_bob" });
  });
});
