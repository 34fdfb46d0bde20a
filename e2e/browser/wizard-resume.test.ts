/// <reference lib="dom" />
// page.evaluate callbacks run in the browser.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { completeStepsThroughApi, openWizardHarness, screenshot, signIn, type WizardHarness } from "./wizard-harness.js";

const chromiumPath = inject("chromiumPath");

const heading = (page: Page, title: string) => page.getByRole("heading", { level: 1, name: title, exact: true });
const navEntry = (page: Page, title: string) =>
  page.getByRole("navigation", { name: "Onboarding progress" }).getByRole("link", { name: title, exact: true });

/** What a person does besides the straight journey: reload, switch devices, mistype, use only the keyboard. */
describe.skipIf(chromiumPath === null)("the web wizard: resume, isolation, errors and keyboard, in Chromium", () => {
  let h: WizardHarness;
  beforeAll(async () => {
    h = await openWizardHarness(chromiumPath as string, { siteDelayMs: 0 });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("resumes at the current step with saved values after a reload and on another device; a locked step never opens", async () => {
    const user = "user_e2e_resume";
    const first = await h.newContext();
    const page = await first.newPage();
    await signIn(page, user);
    await page.getByLabel("Gemini API key").fill("AIza-e2e-resume-key-4321");
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByLabel("Website URL").fill(h.siteUrl);
    await page.getByRole("button", { name: "Analyze" }).click();
    await page.getByRole("group", { name: "Audience" }).getByLabel("Primary audience").fill("platform engineers");
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByRole("radio", { name: /Expert/ }).check();
    await page.getByRole("button", { name: "Continue" }).click();
    await heading(page, "Personalization").waitFor();

    await page.reload();
    await heading(page, "Personalization").waitFor();
    expect(await navEntry(page, "Personalization").getAttribute("aria-current")).toBe("step");
    expect(await page.getByText("50% complete").count()).toBe(1);
    await navEntry(page, "AI Research").click();
    await heading(page, "AI Research").waitFor();
    expect(await page.getByRole("radio", { name: /Expert/ }).isChecked()).toBe(true);

    // Another device: a new browser context, nothing in its storage; the server alone says where the user is.
    const second = await h.newContext();
    const other = await second.newPage();
    await signIn(other, user);
    await heading(other, "Personalization").waitFor();
    expect(other.url()).toBe(`${h.baseUrl}/step/4`);
    await navEntry(other, "Website Analysis").click();
    expect(await other.getByLabel("Website URL").inputValue()).toBe(h.siteUrl);
    expect(await other.getByRole("group", { name: "Audience" }).getByLabel("Primary audience").inputValue()).toBe("platform engineers");
    await navEntry(other, "AI LLM Providers").click();
    await other.getByRole("group", { name: "Gemini" }).getByText("••••••••4321").waitFor();
    expect(await other.content()).not.toContain("AIza-e2e-resume-key-4321");

    // Locked: disabled in the nav, and its address opens the current step instead.
    const locked = navEntry(other, "Complete Setup");
    expect(await locked.getAttribute("aria-disabled")).toBe("true");
    expect(await locked.getAttribute("href")).toBeNull();
    await locked.click({ force: true });
    await heading(other, "AI LLM Providers").waitFor();
    await other.goto("/step/6");
    await heading(other, "Personalization").waitFor();
    expect(other.url()).toBe(`${h.baseUrl}/step/4`);
    await first.close();
    await second.close();
  });

  it("shows a second user in the same tab none of the first user's data", async () => {
    const context = await h.newContext();
    const page = await context.newPage();
    await signIn(page, "user_e2e_first");
    await page.getByLabel("OpenAI API key").fill("sk-first-user-only-9999");
    await page.getByRole("button", { name: "Continue" }).click();
    await heading(page, "Website Analysis").waitFor();

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByLabel("User ID").fill("user_e2e_second");
    await page.getByRole("button", { name: "Sign in" }).click();
    await heading(page, "AI LLM Providers").waitFor();
    expect(await page.getByText("0% complete").count()).toBe(1);
    expect(await page.getByText("Saved key").count()).toBe(0);
    expect(await page.getByText("9999").count()).toBe(0);
    expect(await page.getByText("user_e2e_first").count()).toBe(0);
    expect(await navEntry(page, "Website Analysis").getAttribute("aria-disabled")).toBe("true");
    expect((await h.api("user_e2e_second", "/summary")).api_keys).toEqual({ count: 0, providers: [] });
    await context.close();
  });

  it("skips the optional step 5: the summary says so and the nav marks it skipped", async () => {
    await completeStepsThroughApi(h, "user_e2e_skip", 4);
    const context = await h.newContext();
    const page = await context.newPage();
    await signIn(page, "user_e2e_skip");
    await heading(page, "Integrations").waitFor();
    await page.getByRole("button", { name: "Skip" }).click();
    await heading(page, "Complete Setup").waitFor();
    expect(await page.getByRole("region", { name: "Integrations" }).getByText("Skipped for now.").count()).toBe(1);
    expect(await navEntry(page, "Integrations").evaluate((link) => link.getAttribute("aria-describedby") && document.getElementById(link.getAttribute("aria-describedby") as string)?.textContent)).toBe("Skipped");
    expect(await h.api("user_e2e_skip", "/status")).toMatchObject({ current_step: 6, can_proceed_to_final: true });
    await context.close();
  });

  it("sends the user back to sign-in with a message when the API answers 401, never to a blank page", async () => {
    const context = await h.newContext();
    const page = await context.newPage();
    await signIn(page, "user_e2e_expired");
    await heading(page, "AI LLM Providers").waitFor();
    // A token the server no longer accepts (an expired session looks the same to the page).
    await page.evaluate(() => sessionStorage.setItem("onboarding.dev-session-token", "expired.or.forged"));
    await page.reload();
    await page.getByText("Your session has ended. Sign in again to pick up where you left off.").waitFor();
    expect(page.url()).toBe(`${h.baseUrl}/sign-in`);
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await page.getByLabel("User ID").fill("user_e2e_expired");
    await page.getByRole("button", { name: "Sign in" }).click();
    await heading(page, "AI LLM Providers").waitFor();
    await context.close();
  });

  it("shows a bad URL's error at the field, the client's and the server's, and a failed fetch with retry or manual entry", async () => {
    const context = await h.newContext();
    const page = await context.newPage();
    await signIn(page, "user_e2e_bad_url");
    await page.getByLabel("Anthropic API key").fill("sk-ant-e2e-bad-url-0003");
    await page.getByRole("button", { name: "Continue" }).click();
    const url = page.getByLabel("Website URL");
    const sent: string[] = [];
    page.on("request", (request) => {
      if (request.url().endsWith("/website/analyze")) sent.push(request.postData() ?? "");
    });

    await url.fill("not a website");
    await page.getByRole("button", { name: "Analyze" }).click();
    await expect.poll(() => url.getAttribute("aria-invalid")).toBe("true");
    expect(await describedBy(page, "Website URL")).toContain("Website must be an http(s) URL.");
    expect(sent).toEqual([]);
    await screenshot(page, "11-step-2-bad-url");

    // Valid to the shared schema, refused by the server: its 400 names `website`.
    await url.fill("http://someone:secret@127.0.0.1:8/");
    await url.press("Enter");
    await expect.poll(() => describedBy(page, "Website URL")).toContain("must not hold a user name or password");
    expect(await url.getAttribute("aria-invalid")).toBe("true");
    expect(sent).toHaveLength(1);

    await url.fill(h.closedUrl);
    await page.getByRole("button", { name: "Analyze" }).click();
    await page.getByText("We could not read that site.").waitFor();
    // Said for a person (SPEC §10): what happened, not the socket's error code.
    expect(await page.getByText("The site could not be reached.").count()).toBe(1);
    expect(await page.getByText("ECONNREFUSED").count()).toBe(0);
    expect(await page.getByRole("button", { name: "Try again" }).count()).toBe(1);
    await screenshot(page, "12-step-2-failed-fetch");
    await page.getByRole("button", { name: "Enter it by hand" }).click();
    await page.getByRole("group", { name: "Writing style" }).getByLabel("Tone").fill("calm");
    await page.getByRole("button", { name: "Continue" }).click();
    await heading(page, "AI Research").waitFor();
    const summary = await h.api("user_e2e_bad_url", "/summary");
    expect(summary.website_url).toBe(h.closedUrl);
    expect(summary.style_analysis).toMatchObject({ writing_style: { tone: "calm" } });
    expect((summary.style_analysis as Record<string, unknown>).status).toBeUndefined();
    await context.close();
  });

  it("does step 1 with the keyboard alone (Tab, Enter, Space), focus always visible", async () => {
    const context = await h.newContext();
    const page = await context.newPage();
    await page.goto("/");
    await page.getByLabel("User ID").waitFor();
    expect(await focusedLabel(page)).toBe("User ID");
    await page.keyboard.type("user_e2e_keyboard");
    await page.keyboard.press("Enter");
    await heading(page, "AI LLM Providers").waitFor();

    await tabUntil(page, (focus) => focus.label === "Mistral API key");
    expect(await focusRingShows(page)).toBe(true);
    await page.keyboard.type("mistral-keyboard-only-7777");
    await page.keyboard.press("Tab");
    expect((await focused(page)).text).toBe("Save key");
    expect(await focusRingShows(page)).toBe(true);
    await page.keyboard.press("Space");
    await page.getByRole("group", { name: "Mistral" }).getByText("••••••••7777").waitFor();
    await expect.poll(async () => (await focused(page)).text).toBe("Replace");

    await tabUntil(page, (focus) => focus.text === "Continue");
    expect(await focusRingShows(page)).toBe(true);
    await page.keyboard.press("Enter");
    await heading(page, "Website Analysis").waitFor();
    expect((await h.api("user_e2e_keyboard", "/summary")).api_keys).toMatchObject({ count: 1, providers: [{ provider: "mistral" }] });
    await context.close();
  });
});

interface Focus {
  readonly label: string | null;
  readonly text: string;
}

async function focused(page: Page): Promise<Focus> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLInputElement | null;
    return { label: element?.labels?.[0]?.textContent ?? null, text: element?.textContent?.trim() ?? "" };
  });
}

async function focusedLabel(page: Page): Promise<string | null> {
  return (await focused(page)).label;
}

/** Presses Tab until `wanted` has focus; a bounded number of times, as a person would give up. */
async function tabUntil(page: Page, wanted: (focus: Focus) => boolean): Promise<void> {
  for (let presses = 0; presses < 80; presses++) {
    if (wanted(await focused(page))) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`Tab never reached the control; last focus ${JSON.stringify(await focused(page))}`);
}

/** The focused control shows an outline or a focus shadow. */
async function focusRingShows(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const style = getComputedStyle(document.activeElement as Element);
    return (style.outlineStyle !== "none" && style.outlineWidth !== "0px") || style.boxShadow !== "none";
  });
}

/** The text of the elements that describe the field labelled `label`. */
async function describedBy(page: Page, label: string): Promise<string> {
  return page.getByLabel(label).evaluate((element) =>
    (element.getAttribute("aria-describedby") ?? "")
      .split(" ")
      .map((id) => document.getElementById(id)?.textContent ?? "")
      .join(" "),
  );
}
