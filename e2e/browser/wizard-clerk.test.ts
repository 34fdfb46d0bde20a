import { generateKeyPairSync, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openWizardHarness, screenshot, type WizardHarness } from "./wizard-harness.js";

const chromiumPath = inject("chromiumPath");

/**
 * Clerk auth mode, as far as this closed machine allows: Clerk's script cannot load (the
 * publishable key names an instance at a closed local port, so nothing leaves the machine), and
 * the page must say so instead of staying blank. The signed-in path shares the dev mode's seam.
 */
describe.skipIf(chromiumPath === null)("the web wizard in clerk auth mode, Clerk unreachable", () => {
  let h: WizardHarness;
  beforeAll(async () => {
    const { publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    h = await openWizardHarness(chromiumPath as string, {
      env: {
        AUTH_MODE: "clerk",
        CLERK_JWT_KEY: publicKey.export({ type: "spki", format: "pem" }).toString(),
        CLERK_PUBLISHABLE_KEY: `pk_test_${Buffer.from("127.0.0.1:9$").toString("base64")}`,
        ENCRYPTION_KEY: randomBytes(32).toString("base64"),
      },
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("loads the Clerk seam only now, shows progress while Clerk loads, then says sign-in is unavailable; no dev sign-in", async () => {
    const context = await h.newContext();
    const page = await context.newPage();
    const requested: string[] = [];
    page.on("request", (request) => requested.push(request.url()));
    await page.goto("/");
    await page.getByRole("status").filter({ hasText: "Loading sign-in…" }).waitFor();
    await page.getByRole("alert").filter({ hasText: "Clerk's sign-in could not be loaded" }).waitFor({ timeout: 60_000 });
    await screenshot(page, "13-clerk-mode-unreachable");
    expect(await page.getByLabel("User ID").count()).toBe(0);
    expect(requested.some((url) => /\/assets\/clerk-session-[\w-]+\.js$/.test(url))).toBe(true);
    expect(requested.filter((url) => !url.startsWith(h.baseUrl) && !url.startsWith("https://127.0.0.1:9/"))).toEqual([]);
    const devToken = await fetch(`${h.baseUrl}/api/dev/token`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"user_id":"x"}' });
    expect(devToken.status).toBe(404);
    await context.close();
  });
});
