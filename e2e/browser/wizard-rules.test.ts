import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openWizardHarness, signIn, type WizardHarness } from "./wizard-harness.js";

const chromiumPath = inject("chromiumPath");

const heading = (page: Page, title: string) => page.getByRole("heading", { level: 1, name: title, exact: true });
const navEntry = (page: Page, title: string) =>
  page.getByRole("navigation", { name: "Onboarding progress" }).getByRole("link", { name: title, exact: true });

/** What the page says a person cannot be shown: a route, a URL of ours, a status line. */
const NOT_FOR_PEOPLE = /\b(GET|POST|PUT|DELETE) \/|\/api\/|website\/analyze|The server answered \d{3}/;

/** SPEC §10's rules for people on the page: Continue waits for a running analysis; Remove of the last model key says why. */
describe.skipIf(chromiumPath === null)("the web wizard's rules for people, in Chromium", () => {
  let h: WizardHarness;
  beforeAll(async () => {
    // The site answers slowly, so that Continue can be clicked while "Analyzing…" runs.
    h = await openWizardHarness(chromiumPath as string, { siteDelayMs: 1500 });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("waits on step 2's Continue for the running analysis, then goes on with it, never showing a route", async () => {
    const user = "user_e2e_continue_while_analyzing";
    await h.api(user, "/step/1/complete", { data: { api_keys: { openai: "sk-e2e-continue-key-0001" } } });
    const context = await h.newContext();
    const page = await context.newPage();
    await signIn(page, user);
    await heading(page, "Website Analysis").waitFor();

    await page.getByLabel("Website URL").fill(h.siteUrl);
    await page.getByRole("button", { name: "Analyze" }).click();
    await page.getByRole("button", { name: "Analyzing…" }).waitFor();
    await page.getByRole("button", { name: "Continue" }).click();
    // Still analysing: the page says it will go on once the analysis is done, and shows no error.
    await page.getByRole("status").filter({ hasText: "as soon as it is done" }).waitFor();
    expect(await page.getByRole("alert").filter({ hasText: /\S/ }).count()).toBe(0);

    await heading(page, "AI Research").waitFor();
    expect(await page.content()).not.toMatch(NOT_FOR_PEOPLE);
    const step2 = await h.api(user, "/step/2");
    expect(step2).toMatchObject({ status: "completed", data: { website: h.siteUrl, analysis: { status: "completed" } } });

    // Back on the done step, a site that cannot be read: the saved analysis stays, and the page says so.
    await navEntry(page, "Website Analysis").click();
    await page.getByLabel("Website URL").fill(h.closedUrl);
    await page.getByRole("button", { name: "Analyze" }).click();
    await page.getByRole("alert").filter({ hasText: "We could not read that site, so your saved analysis is kept." }).waitFor();
    expect(await h.api(user, "/step/2")).toMatchObject({ status: "completed", data: { website: h.siteUrl } });
    expect(await page.content()).not.toMatch(NOT_FOR_PEOPLE);
    await context.close();
  });

  it("refuses to remove the last language model key of a done step 1 with a sentence, offering Replace", async () => {
    const user = "user_e2e_last_model_key";
    await h.api(user, "/step/1/complete", { data: { api_keys: { openai: "sk-e2e-last-key-0002", exa: "exa-e2e-last-key-0003" } } });
    const context = await h.newContext();
    const page = await context.newPage();
    await signIn(page, user);
    await navEntry(page, "AI LLM Providers").click();
    await heading(page, "AI LLM Providers").waitFor();

    const openai = page.getByRole("group", { name: "OpenAI" });
    await openai.getByRole("button", { name: "Remove" }).click();
    const why = openai.getByRole("alert");
    await why.waitFor();
    expect(await why.textContent()).toBe(
      "This is your only language model key, and a finished step 1 needs one, so it was not removed. Replace it with a new key, or add a key for another language model first.",
    );
    // The key is still there, and Replace is where focus went: the way on.
    await openai.getByText("••••••••0002").waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Replace");
    expect(await page.content()).not.toMatch(NOT_FOR_PEOPLE);

    // Replace opens the field, and the refusal's sentence goes.
    await openai.getByRole("button", { name: "Replace" }).click();
    await openai.getByLabel("OpenAI API key").waitFor();
    expect(await openai.getByRole("alert").count()).toBe(0);
    // Another key of the same step can still go.
    await page.getByRole("group", { name: "Exa" }).getByRole("button", { name: "Remove" }).click();
    await page.getByRole("status").filter({ hasText: "Your Exa key is removed." }).waitFor();
    await context.close();
  });
});
