import { appendFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { ApiClient, type ApiResponse } from "../src/test-support/api-client.js";
import { sampleStepData } from "../src/test-support/sample-steps.js";
import { openTestApp, type TestApp } from "../src/test-support/test-app.js";
import { TEST_DIALECTS } from "../src/test-support/test-database.js";
import { storedText } from "./hardening-support.js";
import { pollTask } from "./persona-task-support.js";

const USER = "user_2oldclient";
const GEMINI_KEY = "AIzaSy-old-client-GEMINI-secret-5151";
const ANTHROPIC_KEY = "sk-ant-old-client-secret-6262";
const DESCRIPTION = "Marker-7f3a: the team's shared Gemini key";

type Kind = "string" | "number" | "boolean" | "array" | "object" | "null";

/** The JSON type of a value, as the old client's code assumes it (a list is not an object). */
function kindOf(value: unknown): Kind | "undefined" {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  return typeof value as Kind | "undefined";
}

/** Each dotted path must hold a value of one of the kinds given ("string|null"). */
function expectKinds(body: unknown, kinds: Record<string, string>): void {
  for (const [path, expected] of Object.entries(kinds)) {
    const value = path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], body);
    expect(expected.split("|"), `${path} is ${kindOf(value)}: ${JSON.stringify(value)?.slice(0, 80)}`).toContain(kindOf(value));
  }
}

/**
 * What the old platform's Step 6 screen concludes from /summary, /website-analysis and
 * /research-preferences (restated from its FinalStep data mapper and validation): the steps it
 * would report missing. "Persona Generation" was the bug the old platform fixed.
 */
// The old client reads these answers untyped (`any`); so does this check.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Untyped = Record<string, any>;

function stepsTheOldScreenMisses(summary: Untyped, website: Untyped, research: Untyped | null): string[] {
  const object = (value: unknown) => (value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null);
  const missing: string[] = [];
  const websiteUrl = website.website_url || summary.website_url;
  const style = object(website.style_analysis) ?? object(summary.style_analysis);
  if (!(typeof websiteUrl === "string" && websiteUrl.trim() !== "") && !(style && Object.keys(style).length > 0)) missing.push("Website Analysis");
  const preferences = object(research) ?? object(summary.research_preferences);
  if (!preferences || Object.keys(preferences).length === 0) missing.push("Research Preferences");
  const readiness = object(summary.persona_readiness);
  const settings = object(summary.personalization_settings);
  const persona = object(settings?.persona);
  const personaPresent =
    Boolean(readiness?.ready) ||
    (persona !== null && Object.keys(persona).length > 0) ||
    Object.keys(settings ?? {}).some((key) => !["writing_style", "target_audience", "content_focus"].includes(key));
  if (!personaPresent) missing.push("Persona Generation");
  return missing;
}

describe.each(TEST_DIALECTS)("the old platform's client, played against %s", (dialect) => {
  let t: TestApp;
  afterEach(() => t.close());

  it("walks a new user through the whole wizard with the old client's calls and bodies, finding every field it reads", async () => {
    t = await openTestApp(dialect, { STORAGE_MODE: "dual" });
    const api = await ApiClient.signIn(t.app, USER);
    const trace: string[] = [];
    const call = async (method: string, url: string, payload?: unknown): Promise<ApiResponse> => {
      const response = await api.send({ method: method as "GET", url, ...(payload === undefined ? {} : { payload: payload as object }) });
      trace.push(`${method} ${url.replace(/[0-9a-f-]{36}$/, "{task_id}")} → ${response.status}`);
      return response;
    };
    const ok = async (method: string, url: string, payload?: unknown, status = 200): Promise<Untyped> => {
      const response = await call(method, url, payload);
      expect(response.status, `${method} ${url}: ${response.text}`).toBe(status);
      return response.body;
    };
    const statusIs = async (currentStep: number, percentage: number) => {
      const status = await ok("GET", "/status");
      expectKinds(status, { current_step: "number", is_completed: "boolean", completion_percentage: "number", next_step: "number|null" });
      expect(status).toMatchObject({ current_step: currentStep, completion_percentage: percentage, is_completed: false });
    };
    const completeStep = async (n: number, data: unknown) => {
      const answer = await ok("POST", `/step/${n}/complete`, { data, validation_errors: [] });
      expectKinds(answer, { message: "string", step_number: "number", warnings: "array" });
    };

    expect(await ok("GET", "/health")).toEqual({ status: "ok" });
    const first = await ok("GET", "/init");
    expectKinds(first, {
      "user.id": "string",
      "onboarding.is_completed": "boolean",
      "onboarding.current_step": "number",
      "onboarding.completion_percentage": "number",
      "onboarding.steps": "array",
      "session.session_id": "string",
      "session.initialized_at": "null",
    });
    expect(first.onboarding.steps.map((step: { step_number: number; has_data: boolean }) => [step.step_number, step.has_data])).toEqual(
      [1, 2, 3, 4, 5, 6].map((n) => [n, false]),
    );
    const started = await ok("POST", "/start");
    expectKinds(started, { message: "string", current_step: "number", started_at: "string" });
    expect((await ok("GET", "/init")).session).toEqual({ session_id: USER, initialized_at: started.started_at, last_activity: started.started_at });

    const prefill = await ok("GET", "/api-keys/onboarding");
    expectKinds(prefill, { api_keys: "object", configured_providers: "array", total_providers: "number" });
    expect(prefill.configured_providers).toEqual([]);
    const saved = await ok("POST", "/api-keys", { provider: "gemini", api_key: GEMINI_KEY, description: DESCRIPTION });
    expect(saved).toMatchObject({ provider: "gemini", status: "saved", message: expect.any(String) });
    await completeStep(1, { api_keys: { anthropic: ANTHROPIC_KEY } });
    await statusIs(2, 16.7);
    expect((await ok("GET", "/api-keys")).configured_providers).toEqual(["anthropic", "gemini"]);

    await completeStep(2, sampleStepData(2, "old"));
    await statusIs(3, 33.3);
    await completeStep(3, sampleStepData(3, "old"));
    await statusIs(4, 50);

    const onboardingData = { websiteAnalysis: sampleStepData(2, "old").analysis, researchPreferences: sampleStepData(3, "old") };
    const task = await ok("POST", "/step4/generate-personas-async", { onboarding_data: onboardingData, selected_platforms: ["linkedin", "blog"], user_preferences: null, force: false }, 202);
    expectKinds(task, { task_id: "string", status: "string" });
    const done = await pollTask(api, task.task_id);
    trace.push(`GET /step4/persona-task/{task_id} → 200 (polled until ${done.status})`);
    expectKinds(done, {
      status: "string",
      progress: "number",
      current_step: "string",
      progress_messages: "array",
      "result.core_persona": "object",
      "result.platform_personas": "object",
      "result.quality_metrics": "object",
      error: "null",
    });
    expect(done.result.selected_platforms).toEqual(["linkedin", "blog"]);
    const latest = await ok("GET", "/step4/persona-latest");
    expectKinds(latest, { success: "boolean", "persona.core_persona": "object", "persona.platform_personas": "object", "persona.quality_metrics": "object" });
    const { corePersona, platformPersonas, qualityMetrics, selectedPlatforms } = done.result;
    await completeStep(4, { corePersona, platformPersonas, qualityMetrics, selectedPlatforms });
    await statusIs(5, 66.7);
    await completeStep(5, sampleStepData(5, "old"));
    await statusIs(6, 83.3);

    const summary = await ok("GET", "/summary");
    expectKinds(summary, {
      website_url: "string",
      style_analysis: "object",
      research_preferences: "object",
      personalization_settings: "object",
      "personalization_settings.writing_style": "string",
      "personalization_settings.tone": "string",
      "personalization_settings.brand_voice": "string",
      "personalization_settings.persona": "object",
      "persona_readiness.ready": "boolean",
      "persona_readiness.reason": "string",
      "persona_readiness.missing_data": "array",
      configuration_and_capabilities: "object",
      "configuration_and_capabilities.capabilities_overview": "object",
      onboarding_type: "string",
    });
    expect(Object.keys(summary.personalization_settings.persona).sort()).toEqual(["corePersona", "platformPersonas", "qualityMetrics", "selectedPlatforms"]);
    expect(summary.personalization_settings.tone).not.toBe("");
    expect(summary.personalization_settings.brand_voice).not.toBe("");
    const website = await ok("GET", "/website-analysis");
    expectKinds(website, { website_url: "string" });
    const research = await ok("GET", "/research-preferences");
    expectKinds(research, { research_depth: "string", content_types: "array" });
    expect(stepsTheOldScreenMisses(summary, website, research)).toEqual([]);

    const finished = await ok("POST", "/step/6/complete", { data: {}, validation_errors: [] });
    expect(finished).toMatchObject({ step_number: 6, warnings: [] });
    const completed = await ok("POST", "/complete");
    expectKinds(completed, { message: "string", completed_at: "string", completion_percentage: "number" });
    const last = await ok("GET", "/init");
    expect(last.onboarding).toMatchObject({ is_completed: true, current_step: 6, completion_percentage: 100, completed_at: completed.completed_at });

    const everything = [...t.logs, ...(await storedText(t, "dual"))].join("\n");
    expect(everything).not.toContain("Marker-7f3a");
    expect(everything).not.toContain(GEMINI_KEY);
    if (process.env.OLD_CLIENT_TRACE) appendFileSync(process.env.OLD_CLIENT_TRACE, [`# ${dialect}`, ...trace, ""].join("\n"));
    expect(trace.every((line) => / → 20[02]( |$)/.test(line))).toBe(true);
  });

  it("answers the other routes the old client calls: /health, /config, /resume, /api-keys/validate", async () => {
    t = await openTestApp(dialect, { STORAGE_MODE: "dual" });
    const api = await ApiClient.signIn(t.app, USER);

    const anonymous = await t.app.inject({ method: "GET", url: "/health" });
    expect([anonymous.statusCode, anonymous.json()]).toEqual([200, { status: "ok" }]);
    const config = (await api.get("/config")).body;
    expect(config.total_steps).toBe(6);
    expect(config.steps.map((s: { number: number; title: string; optional: boolean; required: boolean }) => [s.number, s.title, s.optional, s.required])).toEqual([
      [1, "AI LLM Providers", false, true],
      [2, "Website Analysis", false, true],
      [3, "AI Research", false, true],
      [4, "Personalization", false, true],
      [5, "Integrations", true, false],
      [6, "Complete Setup", false, true],
    ]);
    expect(config.provider_groups.map((g: { group: string }) => g.group)).toEqual(["Create", "Research", "Integrations"]);
    expect(config.limits).toMatchObject({ body_bytes: 1024 * 1024, expensive_requests_per_minute: 10 });
    expect((await api.get("/config")).body).toEqual(config);

    expect((await api.get("/resume")).body).toMatchObject({ resume_step: 1, current_step: 1, is_completed: false, reason: expect.stringMatching(/Nothing is saved/) });
    const none = (await api.post("/api-keys/validate")).body;
    expect(none).toMatchObject({ all_valid: false, missing_keys: ["openai", "gemini", "anthropic", "mistral"], configured_providers: [], total_providers: 10 });
    expect(none.validation_results.gemini).toEqual({ configured: false, source: null, masked: null });

    await api.post("/api-keys", { provider: "tavily", api_key: "tvly-old-client-0001" });
    expect((await api.post("/api-keys/validate")).body).toMatchObject({ all_valid: false, configured_providers: ["tavily"] });
    await api.post("/step/1/complete", { data: { api_keys: { gemini: GEMINI_KEY } }, validation_errors: [] });
    const valid = (await api.post("/api-keys/validate")).body;
    expect(valid).toMatchObject({ all_valid: true, missing_keys: [], configured_providers: ["gemini", "tavily"] });
    expect(valid.validation_results.gemini).toEqual({ configured: true, source: "database", masked: `${"*".repeat(GEMINI_KEY.length - 4)}5151` });
    expect(JSON.stringify(valid)).not.toContain(GEMINI_KEY);
    expect((await api.get("/resume")).body).toMatchObject({ resume_step: 2, reason: "Step 2 (Website Analysis) is the first step not completed" });
    expect((await api.get("/api-keys/onboarding")).body).toEqual((await api.get("/api-keys")).body);
  });
});
