import { afterEach, describe, expect, it } from "vitest";
import { ApiClient } from "../src/test-support/api-client.js";
import { startChatCompletionsServer } from "../src/test-support/chat-completions-test-server.js";
import { FIXTURE_PAGE } from "../src/test-support/fixture-page.js";
import { openTestApp, type TestApp } from "../src/test-support/test-app.js";
import { TEST_DIALECTS } from "../src/test-support/test-database.js";
import { htmlPage, startPageServer } from "../src/test-support/test-page-server.js";
import { expectErrorShape, OPENAI_KEY, tableSnapshot } from "./hardening-support.js";
import { ANALYSIS_FIELDS } from "../src/onboarding/analysis-fields.js";

/** Step 2 through the real app: POST /website/analyze against a local site, then the step's own routes. */
describe.each(TEST_DIALECTS)("website analysis over HTTP on %s", (dialect) => {
  let t: TestApp;
  const closers: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((server) => server.close()));
    await t.close();
  });

  async function site(routes: Parameters<typeof startPageServer>[0]) {
    const server = await startPageServer(routes);
    closers.push(server);
    return server;
  }

  async function signedInPastStepOne(user: string): Promise<ApiClient> {
    const api = await ApiClient.signIn(t.app, user);
    const step1 = await api.post("/step/1/complete", { data: { api_keys: { openai: OPENAI_KEY } } });
    expect(step1.status, step1.text).toBe(200);
    return api;
  }

  it("analyses a site, saves it as the step 2 draft, completes step 2 from it and shows it in the summary", async () => {
    t = await openTestApp(dialect, { STORAGE_MODE: "dual", WEBSITE_FETCH_ALLOW_PRIVATE: "true" });
    const website = `${(await site({ "/": htmlPage(FIXTURE_PAGE) })).origin}/`;
    const api = await signedInPastStepOne("user_site");

    const analysed = await api.post("/website/analyze", { website });

    expect(analysed.status, analysed.text).toBe(200);
    expect(analysed.body).toMatchObject({ status: "completed", error_message: null, website_url: website, llm_enriched: false });
    for (const field of ANALYSIS_FIELDS) expect(analysed.body[field], field).toEqual(expect.any(Object));
    expect(analysed.body.metrics.word_count).toBeGreaterThan(0);
    expect((await api.get("/website-analysis")).body).toEqual(analysed.body);
    const draft = (await api.get("/step/2")).body;
    expect(draft).toMatchObject({ status: "in_progress", data: { website } });

    const completed = await api.post("/step/2/complete", {});
    expect(completed.status, completed.text).toBe(200);
    expect((await api.get("/status")).body).toMatchObject({ current_step: 3 });
    const summary = (await api.get("/summary")).body;
    expect(summary.website_url).toBe(website);
    expect(summary.style_analysis.writing_style).toEqual(analysed.body.writing_style);
    expect(summary.capabilities_overview.website_analysis).toBe(true);
  });

  it("saves a page that cannot be read as a failed analysis, which cannot complete step 2", async () => {
    t = await openTestApp(dialect, { STORAGE_MODE: "database", WEBSITE_FETCH_ALLOW_PRIVATE: "true" });
    const server = await site({});
    const api = await signedInPastStepOne("user_gone");

    const analysed = await api.post("/website/analyze", { website: `${server.origin}/gone` });

    expect(analysed.status, analysed.text).toBe(200);
    expect(analysed.body.status).toBe("failed");
    expect(analysed.body.error_message).toBe("The site did not send the page: it may not exist, or the site refused to show it.");
    const completing = await api.post("/step/2/complete", {});
    expectErrorShape(completing, 409, "cannot_complete");
    expect(completing.text).toContain("the website analysis failed");
    expect((await api.get("/step/2")).body.status).toBe("in_progress");
  });

  it("refuses a loopback site with 400 on `website` unless WEBSITE_FETCH_ALLOW_PRIVATE, fetching and storing nothing", async () => {
    t = await openTestApp(dialect, { STORAGE_MODE: "dual" });
    const server = await site({ "/": htmlPage(FIXTURE_PAGE) });
    const api = await signedInPastStepOne("user_ssrf");
    const before = await tableSnapshot(t);

    for (const website of [`${server.origin}/`, `http://localhost:${server.port}/`, "http://169.254.169.254/latest/meta-data/", "http://[::1]/"]) {
      const refused = await api.post("/website/analyze", { website });
      expectErrorShape(refused, 400, "validation_failed");
      expect(refused.body.errors.map((e: { path: string }) => e.path), website).toEqual(["website"]);
    }

    expect(server.hits).toEqual([]);
    expect(await tableSnapshot(t)).toEqual(before);
  });

  it("answers 409 step_locked before step 1 is completed, without fetching", async () => {
    t = await openTestApp(dialect, { STORAGE_MODE: "dual", WEBSITE_FETCH_ALLOW_PRIVATE: "true" });
    const server = await site({ "/": htmlPage(FIXTURE_PAGE) });
    const api = await ApiClient.signIn(t.app, "user_early");

    expectErrorShape(await api.post("/website/analyze", { website: `${server.origin}/` }), 409, "step_locked");

    expect(server.hits).toEqual([]);
    expect((await api.get("/website-analysis")).body).toEqual({});
  });

  it("enriches the analysis with the user's own OpenAI key, sent to OPENAI_BASE_URL and never shown", async () => {
    const llm = await startChatCompletionsServer(() => ({ content: JSON.stringify({ writing_style: { tone: "playful" } }) }));
    closers.push(llm);
    t = await openTestApp(dialect, { STORAGE_MODE: "dual", WEBSITE_FETCH_ALLOW_PRIVATE: "true", OPENAI_BASE_URL: llm.baseUrl.href });
    const website = `${(await site({ "/": htmlPage(FIXTURE_PAGE) })).origin}/`;
    const api = await signedInPastStepOne("user_llm");

    const analysed = await api.post("/website/analyze", { website });

    expect(analysed.status, analysed.text).toBe(200);
    expect(analysed.body.llm_enriched).toBe(true);
    expect(analysed.body.llm_provider).toBe("openai");
    expect(analysed.body.writing_style.tone).toBe("playful");
    expect(llm.requests).toHaveLength(1);
    expect(llm.requests[0]?.path).toBe("/v1/responses");
    expect(llm.requests[0]?.headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);
    expect(analysed.text).not.toContain(OPENAI_KEY);
    expect(t.logs.join("\n")).not.toContain(OPENAI_KEY);
  });
});
