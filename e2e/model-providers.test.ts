import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ModelProvider } from "../src/onboarding/providers.js";
import { ApiClient } from "../src/test-support/api-client.js";
import { startModelProviderServer, type ModelProviderTestServer } from "../src/test-support/model-provider-test-server.js";
import { sampleStepData } from "../src/test-support/sample-steps.js";
import { sparePort } from "../src/test-support/spare-port.js";
import { openTestApp, type TestApp } from "../src/test-support/test-app.js";
import { TEST_DIALECTS } from "../src/test-support/test-database.js";
import { htmlPage, startPageServer, type TestPageServer } from "../src/test-support/test-page-server.js";

const PROVIDERS: readonly ModelProvider[] = ["openai", "gemini", "anthropic", "mistral"];
const LABEL: Record<ModelProvider, string> = { openai: "OpenAI", gemini: "Gemini", anthropic: "Anthropic", mistral: "Mistral" };

/** A key that names its user, so that the provider server can tell whose key came with which prompt. */
const keyOf = (provider: ModelProvider, user: string) => `${provider === "gemini" ? "AIza" : "sk"}-${user}-own-key-0123456789`;
const userOfKey = (key: string | undefined) => /-(user_[a-z0-9_]+)-own-key-/.exec(key ?? "")?.[1];
/** Each user's website says who they are: the tag travels in the prompt. */
const tagOf = (user: string) => `tag-${user}-tag`;
const userOfPrompt = (body: string) => /tag-(user_[a-z0-9_]+)-tag/.exec(body)?.[1];

const page = (user: string) =>
  htmlPage(`<html><head><title>${tagOf(user)}</title></head><body><h1>We bake bread</h1><p>${tagOf(user)} writes about sourdough for home bakers. You will love it.</p></body></html>`);

/** SPEC §6 "Which model": a user's own key of each provider drives their analysis and persona, with their key only. */
describe.each(TEST_DIALECTS)("each provider's key drives the model on %s", (dialect) => {
  let t: TestApp;
  let models: ModelProviderTestServer;
  let site: TestPageServer;
  const users = Array.from({ length: 16 }, (_, i) => `user_${dialect}_${i}`);

  beforeAll(async () => {
    models = await startModelProviderServer({
      reply: (request) => ({ json: answerFor(request.body) }),
      refuseKey: (_provider, key) => key?.includes("-refused-") === true,
    });
    site = await startPageServer(Object.fromEntries(users.concat(["user_refused", "user_pref", "user_check"].map((u) => `${u}_${dialect}`)).map((u) => [`/${u}`, page(u)])));
  });
  afterAll(async () => {
    await models.close();
    await site.close();
  });
  afterEach(async () => t.close());

  async function open(env: Record<string, string> = {}): Promise<TestApp> {
    t = await openTestApp(dialect, {
      STORAGE_MODE: "dual",
      WEBSITE_FETCH_ALLOW_PRIVATE: "true",
      OPENAI_BASE_URL: models.baseUrls.openai.href,
      GEMINI_BASE_URL: models.baseUrls.gemini.href,
      ANTHROPIC_BASE_URL: models.baseUrls.anthropic.href,
      MISTRAL_BASE_URL: models.baseUrls.mistral.href,
      ...env,
    });
    return t;
  }

  async function userWith(user: string, keys: Record<string, string>, extra: object = {}): Promise<ApiClient> {
    const api = await ApiClient.signIn(t.app, user);
    const saved = await api.post("/step/1/complete", { data: { api_keys: keys, ...extra } });
    expect(saved.status, saved.text).toBe(200);
    return api;
  }

  it("many users at once, each with one provider's key: every request carries its own user's key, never another's; each answer names its provider", async () => {
    await open();
    const apis = await Promise.all(users.map((user, i) => userWith(user, { [PROVIDERS[i % 4]!]: keyOf(PROVIDERS[i % 4]!, user) })));
    const before = models.requests.length;

    const analyses = await Promise.all(apis.map((api, i) => api.post("/website/analyze", { website: `${site.origin}/${users[i]}` })));
    for (const [i, answer] of analyses.entries()) {
      expect(answer.status, answer.text).toBe(200);
      expect(answer.body).toMatchObject({ status: "completed", llm_enriched: true, llm_provider: PROVIDERS[i % 4], warning_message: null });
      expect(answer.body.writing_style.tone).toBe(`written by the model for ${users[i]}`);
      expect(answer.text).not.toContain(keyOf(PROVIDERS[i % 4]!, users[i]!));
    }
    for (const api of apis) expect((await api.post("/step/2/complete", {})).status).toBe(200);
    for (const [i, api] of apis.entries()) expect((await api.post("/step/3/complete", { data: sampleStepData(3, users[i]!) })).status).toBe(200);
    const personas = await Promise.all(apis.map((api) => api.post("/step4/generate-personas", { selectedPlatforms: ["blog"] })));
    for (const [i, answer] of personas.entries()) {
      expect(answer.status, answer.text).toBe(200);
      expect(answer.body).toMatchObject({ llm_enriched: true, llm_provider: PROVIDERS[i % 4] });
      expect(answer.body.corePersona.summary).toBe(`written by the model for ${users[i]}`);
    }

    const calls = models.requests.slice(before);
    expect(calls).toHaveLength(users.length * 2);
    const mismatches = calls.filter((call) => userOfKey(call.key) === undefined || userOfKey(call.key) !== userOfPrompt(call.body));
    expect(mismatches).toEqual([]);
    for (const [i, user] of users.entries()) {
      const own = calls.filter((call) => userOfKey(call.key) === user);
      expect(own.map((call) => call.provider)).toEqual([PROVIDERS[i % 4], PROVIDERS[i % 4]]);
    }
    expect(t.logs.join("\n")).not.toMatch(/own-key-0123456789/);
  });

  it.each(PROVIDERS)("a %s key the provider refuses is said to be refused, in the analysis and the persona", async (provider) => {
    await open();
    const user = `user_refused_${dialect}`;
    const api = await userWith(user, { [provider]: `sk-${user}-refused-key-0123456789` });

    const analysis = await api.post("/website/analyze", { website: `${site.origin}/${user}` });
    expect(analysis.body).toMatchObject({ status: "completed", llm_enriched: false, llm_provider: null });
    expect(analysis.body.warning_message).toBe(`Your ${LABEL[provider]} key was refused: check it in step 1. This analysis uses the measured metrics only.`);

    for (const n of [2, 3] as const) expect((await api.post(`/step/${n}/complete`, { data: sampleStepData(n, user) })).status).toBe(200);
    const persona = await api.post("/step4/generate-personas", {});
    expect(persona.body).toMatchObject({ llm_enriched: false, llm_provider: null });
    expect(persona.body.warnings).toContain(
      `Your ${LABEL[provider]} key was refused: check it in step 1. The persona was generated from your website analysis and research preferences alone.`,
    );
    expect(analysis.text + persona.text).not.toContain("refused-key-0123456789");
  });

  it("with several keys the preferred provider drives the model, else the first of openai, gemini, anthropic, mistral", async () => {
    await open();
    const user = `user_pref_${dialect}`;
    const api = await userWith(user, { mistral: keyOf("mistral", user), anthropic: keyOf("anthropic", user) });
    expect((await api.post("/website/analyze", { website: `${site.origin}/${user}` })).body.llm_provider).toBe("anthropic");

    const preferring = await api.put("/step/1", { data: { api_keys: {}, preferred_provider: "mistral" } });
    expect(preferring.status, preferring.text).toBe(200);
    expect((await api.get("/step/1")).body.data).toMatchObject({ preferred_provider: "mistral" });
    expect((await api.post("/website/analyze", { website: `${site.origin}/${user}` })).body.llm_provider).toBe("mistral");

    const unsaved = await api.put("/step/1", { data: { api_keys: {}, preferred_provider: "gemini" } });
    expect(unsaved.status).toBe(400);
    expect(unsaved.body.errors).toEqual([expect.objectContaining({ path: "data.preferred_provider" })]);

    // Removing the preferred key removes the preference with it.
    expect((await api.delete("/api-keys/mistral")).status).toBe(204);
    expect((await api.get("/step/1")).body.data.preferred_provider).toBeUndefined();
  });

  it("POST /api-keys/{provider}/check asks the provider's model list: valid, refused, unreachable; 404 without a key", async () => {
    const closed = `http://127.0.0.1:${await sparePort()}/v1`;
    await open({ MISTRAL_BASE_URL: closed });
    const user = `user_check_${dialect}`;
    const api = await userWith(user, { gemini: keyOf("gemini", user), anthropic: `sk-${user}-refused-key-0123456789`, mistral: keyOf("mistral", user) });
    const before = models.requests.length;

    const valid = await api.post("/api-keys/gemini/check", {});
    expect(valid.status, valid.text).toBe(200);
    expect(valid.body).toMatchObject({ provider: "gemini", status: "valid", source: "database" });
    expect(Date.parse(valid.body.checked_at)).not.toBeNaN();
    expect((await api.post("/api-keys/anthropic/check", {})).body).toMatchObject({ provider: "anthropic", status: "refused" });
    expect((await api.post("/api-keys/mistral/check", {})).body).toMatchObject({ provider: "mistral", status: "unreachable" });

    const noKey = await api.post("/api-keys/openai/check", {});
    expect(noKey.status).toBe(404);
    expect(noKey.body.code).toBe("no_key");
    expect((await api.post("/api-keys/exa/check", {})).status).toBe(400);

    const calls = models.requests.slice(before);
    expect(calls.map((c) => [c.provider, c.method, c.path])).toEqual([
      ["gemini", "GET", "/v1beta/models"],
      ["anthropic", "GET", "/v1/models"],
    ]);
    expect(calls[0]?.headers["x-goog-api-key"]).toBe(keyOf("gemini", user));
    expect(calls[1]?.headers["anthropic-version"]).toBeDefined();
    // Five checks with a key counted so far (with the 404 and 400 not): the limit of 10 a minute holds.
    for (let i = 0; i < 7; i++) await api.post("/api-keys/gemini/check", {});
    const limited = await api.post("/api-keys/gemini/check", {});
    expect(limited.status).toBe(429);
    expect(limited.headers["retry-after"]).toBeDefined();
  });
});

/** What the model "writes": names the user of the prompt, so that a mixed-up answer shows. */
function answerFor(body: string): object {
  const user = userOfPrompt(body) ?? "nobody";
  if (body.includes("corePersona")) return { corePersona: { summary: `written by the model for ${user}` } };
  return { writing_style: { tone: `written by the model for ${user}` } };
}
