import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { axeViolations, completeStepsThroughApi, openWizardHarness, overflowsSideways, screenshot, SCREENSHOTS, seriousOrCritical, signIn, type AxeFinding, type WizardHarness } from "./wizard-harness.js";

const chromiumPath = inject("chromiumPath");

/** The whole journey by clicks and typing, checked against what the server then holds. */
describe.skipIf(chromiumPath === null)("the web wizard, end to end in Chromium", () => {
  let h: WizardHarness;
  const axe: Record<string, AxeFinding[]> = {};
  beforeAll(async () => {
    h = await openWizardHarness(chromiumPath as string);
  });
  afterAll(async () => {
    writeFileSync(join(SCREENSHOTS, "axe-results.json"), JSON.stringify(axe, null, 2) + "\n");
    await h?.close();
  });

  /** axe on the page as it is now: recorded for the report, and no serious or critical violation. */
  async function checkAxe(page: Page, name: string): Promise<void> {
    const findings = await axeViolations(page);
    axe[name] = findings;
    expect(seriousOrCritical(findings), `${name}: ${JSON.stringify(findings)}`).toEqual([]);
  }

  async function atStep(page: Page, title: string): Promise<void> {
    await page.getByRole("heading", { level: 1, name: title, exact: true }).waitFor();
    expect(await page.getByRole("navigation", { name: "Onboarding progress" }).getByRole("link", { name: title, exact: true }).getAttribute("aria-current")).toBe("step");
  }

  it("walks six steps, finishes once (a second click changes nothing), and the server's summary holds what was typed", async () => {
    const user = "user_e2e_journey";
    const context = await h.newContext();
    const page = await context.newPage();
    const requested: string[] = [];
    page.on("request", (request) => requested.push(request.url()));

    await page.goto("/");
    await page.getByLabel("User ID").waitFor();
    await screenshot(page, "01-sign-in");
    await checkAxe(page, "sign-in");
    await page.getByLabel("User ID").fill(user);
    await page.getByRole("button", { name: "Sign in" }).click();

    // Step 1: two keys, one saved on its own row, one sent with Continue.
    await atStep(page, "AI LLM Providers");
    await page.getByLabel("OpenAI API key").fill("sk-e2e-journey-key-0001");
    await page.getByRole("group", { name: "OpenAI" }).getByRole("button", { name: "Save key" }).click();
    await page.getByRole("group", { name: "OpenAI" }).getByText("••••••••0001").waitFor();
    expect(await page.getByLabel("OpenAI API key").count()).toBe(0);
    expect(await page.content()).not.toContain("sk-e2e-journey-key-0001");
    await page.getByLabel("Exa API key").fill("exa-e2e-journey-key-0002");
    await screenshot(page, "02-step-1-ai-llm-providers");
    await checkAxe(page, "step 1");
    await page.getByRole("button", { name: "Continue" }).click();

    // Step 2: the analysis runs with visible progress, then its sections are edited.
    await atStep(page, "Website Analysis");
    await page.getByLabel("Website URL").fill(h.siteUrl);
    await page.getByRole("button", { name: "Analyze" }).click();
    await page.getByRole("status").filter({ hasText: "measuring its style" }).waitFor();
    expect(await page.getByRole("button", { name: "Analyzing…" }).isDisabled()).toBe(true);
    const style = page.getByRole("group", { name: "Writing style" });
    await style.waitFor();
    expect(await style.getByLabel("Tone").inputValue()).toBe("enthusiastic");
    await style.getByLabel("Tone").fill("warm and direct");
    await screenshot(page, "03-step-2-website-analysis");
    await checkAxe(page, "step 2");
    await page.getByRole("button", { name: "Continue" }).click();

    // Step 3.
    await atStep(page, "AI Research");
    await page.getByRole("radio", { name: /Comprehensive/ }).check();
    await page.getByRole("checkbox", { name: "Newsletters" }).check();
    await page.getByLabel("Add content type").fill("Release notes");
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await page.getByRole("switch", { name: "Auto research" }).uncheck();
    await screenshot(page, "04-step-3-ai-research");
    await checkAxe(page, "step 3");
    await page.getByRole("button", { name: "Continue" }).click();

    // Step 4: platforms first, then the persona, its metrics as bars, one field edited.
    await atStep(page, "Personalization");
    await page.getByRole("checkbox", { name: "Medium" }).check();
    await page.getByRole("button", { name: "Generate persona" }).click();
    const core = page.getByRole("group", { name: "Core persona" });
    await core.waitFor();
    for (const metric of ["Completeness", "Style consistency", "Platform coverage", "Overall"]) {
      const value = Number(await page.getByRole("meter", { name: metric }).getAttribute("aria-valuenow"));
      expect(value, metric).toBeGreaterThanOrEqual(0);
      expect(value, metric).toBeLessThanOrEqual(100);
    }
    expect(await page.getByRole("group", { name: "Medium" }).getByLabel("Call to action").inputValue()).not.toBe("");
    await core.getByLabel("Persona name").fill("The Patient Teacher");
    await screenshot(page, "05-step-4-personalization");
    await checkAxe(page, "step 4");
    await page.getByRole("button", { name: "Continue" }).click();

    // Step 5.
    await atStep(page, "Integrations");
    await page.getByRole("checkbox", { name: "WordPress" }).check();
    await page.getByRole("checkbox", { name: "Google Analytics" }).check();
    await page.getByRole("group", { name: "Social platforms" }).getByRole("checkbox", { name: "LinkedIn" }).check();
    await page.getByLabel("Primary website (optional)").fill("https://blog.example.com");
    await screenshot(page, "06-step-5-integrations");
    await checkAxe(page, "step 5");
    await page.getByRole("button", { name: "Continue" }).click();

    // Step 6: the summary, then finish.
    await atStep(page, "Complete Setup");
    const keys = page.getByRole("region", { name: "AI providers" });
    await keys.getByText("2 keys saved").waitFor();
    expect(await keys.getByText("••••••••0002").count()).toBe(1);
    expect(await page.getByRole("region", { name: "Website" }).getByText("warm and direct").count()).toBe(1);
    expect(await page.getByRole("region", { name: "Persona" }).getByText("The Patient Teacher").count()).toBe(1);
    await screenshot(page, "07-step-6-complete-setup");
    await checkAxe(page, "step 6");
    await page.getByRole("button", { name: "Finish onboarding" }).click();
    await page.getByRole("heading", { level: 1, name: "Onboarding complete" }).waitFor();
    await screenshot(page, "08-onboarding-complete");
    await checkAxe(page, "onboarding complete");

    const summary = await h.api(user, "/summary");
    expect(summary.api_keys).toEqual({
      count: 2,
      providers: expect.arrayContaining([
        { provider: "openai", masked: "*".repeat("sk-e2e-journey-key-0001".length - 4) + "0001" },
        { provider: "exa", masked: "*".repeat("exa-e2e-journey-key-0002".length - 4) + "0002" },
      ]),
    });
    expect(summary.website_url).toBe(h.siteUrl);
    expect(summary.style_analysis).toMatchObject({ writing_style: { tone: "warm and direct", voice: "first person plural (we, our)" } });
    expect(summary.research_preferences).toEqual({
      research_depth: "Comprehensive",
      content_types: ["Blog posts", "Newsletters", "Release notes"],
      auto_research: false,
      factual_content: true,
    });
    expect(summary.persona).toMatchObject({ corePersona: { persona_name: "The Patient Teacher" }, selectedPlatforms: ["linkedin", "blog", "medium"] });
    expect(summary.integrations).toEqual({
      website_platforms: ["wordpress"],
      analytics_platforms: ["google_analytics"],
      social_platforms: ["linkedin"],
      primary_website: "https://blog.example.com",
    });
    const finished = await h.api(user, "/status");
    expect(finished).toMatchObject({ is_completed: true, completion_percentage: 100 });

    // A second "Finish onboarding" changes nothing.
    await page.getByRole("link", { name: "Review your setup" }).click();
    await atStep(page, "Complete Setup");
    await page.getByRole("button", { name: "Finish onboarding" }).click();
    await page.getByRole("heading", { level: 1, name: "Onboarding complete" }).waitFor();
    expect((await h.api(user, "/status")).completed_at).toBe(finished.completed_at);

    // Dev mode never downloads the Clerk seam, and the browser keeps nothing but the session token.
    expect(requested.filter((url) => /clerk/i.test(url))).toEqual([]);
    expect(await page.evaluate(() => ({ local: localStorage.length, session: Object.keys(sessionStorage) }))).toEqual({
      local: 0,
      session: ["onboarding.dev-session-token"],
    });
    await context.close();
  });

  it("fits a 360 px wide screen on every step, without sideways scrolling", async () => {
    const context = await h.newContext({ width: 360 });
    const page = await context.newPage();
    await page.goto("/");
    await page.getByLabel("User ID").waitFor();
    expect(await overflowsSideways(page)).toBe(false);
    await screenshot(page, "09-mobile-sign-in");
    await completeStepsThroughApi(h, "user_e2e_mobile");
    await signIn(page, "user_e2e_mobile");
    for (const [n, title] of ["AI LLM Providers", "Website Analysis", "AI Research", "Personalization", "Integrations", "Complete Setup"].entries()) {
      await page.goto(`/step/${n + 1}`);
      await page.getByRole("heading", { level: 1, name: title, exact: true }).waitFor();
      await page.getByRole("button", { name: n === 5 ? "Finish onboarding" : "Continue" }).waitFor();
      expect(await overflowsSideways(page), title).toBe(false);
      await screenshot(page, `10-mobile-step-${n + 1}`);
    }
    await context.close();
  });
});
