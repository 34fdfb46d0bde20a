import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startModelProviderServer, type ModelProviderTestServer } from "../../src/test-support/model-provider-test-server.js";
import { openWizardHarness, screenshot, signIn, type WizardHarness } from "./wizard-harness.js";

const chromiumPath = inject("chromiumPath");
const GOOD_KEY = "AIza-e2e-gemini-good-0001";
const BAD_KEY = "AIza-e2e-gemini-refused-0002";

/** SPEC §6, §10 with the old platform's default provider: a Gemini key checked, then driving the analysis and the persona. */
describe.skipIf(chromiumPath === null)("a journey on a Gemini key, in Chromium", () => {
  let h: WizardHarness;
  let gemini: ModelProviderTestServer;
  beforeAll(async () => {
    gemini = await startModelProviderServer({
      reply: (request) =>
        request.body.includes("corePersona") ? { json: { corePersona: { persona_name: "Gemini's baker" } } } : { json: { writing_style: { tone: "written by Gemini" } } },
      refuseKey: (_provider, key) => key === BAD_KEY,
    });
    h = await openWizardHarness(chromiumPath as string, { siteDelayMs: 0, env: { GEMINI_BASE_URL: gemini.baseUrls.gemini.href } });
  });
  afterAll(async () => {
    await h?.close();
    await gemini?.close();
  });

  it("checks the key (refused, then valid after Replace), and the analysis and the persona say Gemini wrote them", async () => {
    const user = "user_e2e_gemini";
    const page = await (await h.newContext()).newPage();
    await signIn(page, user);
    const row = page.getByRole("group", { name: "Gemini" });

    await page.getByLabel("Gemini API key").fill(BAD_KEY);
    await row.getByRole("button", { name: "Save key" }).click();
    await row.getByRole("button", { name: "Check key" }).click();
    await row.getByText("Gemini refused this key: replace it with a key from your Gemini account.").waitFor();

    await row.getByRole("button", { name: "Replace" }).click();
    await page.getByLabel("Gemini API key").fill(GOOD_KEY);
    await row.getByRole("button", { name: "Save key" }).click();
    await row.getByRole("button", { name: "Check key" }).click();
    await row.getByText("Gemini accepted this key.").waitFor();
    await screenshot(page, "gemini-01-step-1-key-checked");
    await page.getByRole("button", { name: "Continue" }).click();

    await page.getByLabel("Website URL").fill(h.siteUrl);
    await page.getByRole("button", { name: "Analyze" }).click();
    await page.getByText("Written with a language model, using your Gemini key.").waitFor();
    expect(await page.getByRole("group", { name: "Writing style" }).getByLabel("Tone").inputValue()).toBe("written by Gemini");
    await screenshot(page, "gemini-02-step-2-analysis");
    await page.getByRole("button", { name: "Continue" }).click();

    await page.getByRole("heading", { level: 1, name: "AI Research", exact: true }).waitFor();
    await h.api(user, "/step/3/complete", { data: { research_depth: "Basic", content_types: ["Blog posts"], auto_research: true, factual_content: true } });
    await page.goto("/"); // resumes at the current step, from the server alone
    await page.getByRole("heading", { level: 1, name: "Personalization", exact: true }).waitFor();
    await page.getByRole("button", { name: "Generate persona" }).click();
    await page.getByText("Written with a language model, using your Gemini key.").waitFor();
    expect(await page.getByRole("group", { name: "Core persona" }).getByLabel("Persona name").inputValue()).toBe("Gemini's baker");

    const calls = gemini.requests.filter((r) => r.provider === "gemini");
    expect(calls.map((c) => [c.method, c.path.replace(/models\/[^:]+:/, "models/*:"), c.key])).toEqual([
      ["GET", "/v1beta/models", BAD_KEY],
      ["GET", "/v1beta/models", GOOD_KEY],
      ["POST", "/v1beta/models/*:generateContent", GOOD_KEY],
      ["POST", "/v1beta/models/*:generateContent", GOOD_KEY],
    ]);
    expect(await page.content()).not.toContain(GOOD_KEY);
  });
});
