import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { USER_TABLES } from "../../src/cli/shared/user-tables.js";
import { sparePort } from "../../src/test-support/spare-port.js";
import { serveStaticSite, type StaticSite } from "./static-site.js";
import { openWizardHarness, type WizardHarness } from "./wizard-harness.js";

const chromiumPath = inject("chromiumPath");

/**
 * SPEC §10 "Served from its own host": the page built with VITE_API_BASE_URL, served by a plain
 * static server on one origin, the API on another that allows it (CORS_ORIGINS), as the old
 * platform deploys (Vercel + Render). And the same page from an origin the API does not allow.
 */
describe.skipIf(chromiumPath === null)("the page on a host of its own, in Chromium", () => {
  const dir = mkdtempSync(join(tmpdir(), "cross-origin-e2e-"));
  const database = join(dir, "onboarding.db");
  const progress = join(dir, "progress");
  let h: WizardHarness;
  let allowed: StaticSite;
  let refused: StaticSite;
  let apiOrigin: string;

  beforeAll(async () => {
    const apiPort = await sparePort();
    apiOrigin = `http://127.0.0.1:${apiPort}`;
    const pageDir = join(dir, "page");
    // The page as a static host receives it: built elsewhere, for the API's host (not what `npm start` serves).
    const build = spawnSync(
      join("node_modules", ".bin", "vite"),
      ["build", "--config", "web/vite.config.ts", "--outDir", pageDir, "--emptyOutDir", "--logLevel", "warn"],
      { stdio: "inherit", env: { ...process.env, NODE_ENV: "production", VITE_API_BASE_URL: `${apiOrigin}/` } },
    );
    if (build.status !== 0) throw new Error("building the page with VITE_API_BASE_URL failed");
    allowed = await serveStaticSite(pageDir);
    refused = await serveStaticSite(pageDir);
    h = await openWizardHarness(chromiumPath as string, {
      env: { PORT: String(apiPort), CORS_ORIGINS: allowed.origin, DATABASE_URL: `sqlite:${database}`, PROGRESS_DIR: progress },
    });
  });
  /** Rows of every user table (the allowed journey's user is the only other one), progress files, and this test's user's sessions. */
  function storedRows(): Record<string, number> {
    const db = new Database(database, { readonly: true });
    try {
      const counts: Record<string, number> = {};
      for (const table of [...USER_TABLES, "persona_tasks", "expensive_work_runs"]) {
        counts[table] = (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
      }
      counts["sessions of user_refused_origin"] = (db.prepare("select count(*) as n from onboarding_sessions where user_id = ?").get("user_refused_origin") as { n: number }).n;
      counts["progress files"] = existsSync(progress) ? readdirSync(progress, { recursive: true }).length : 0;
      return counts;
    } finally {
      db.close();
    }
  }

  afterAll(async () => {
    await h?.close();
    await allowed?.close();
    await refused?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("walks the wizard from the allowed origin, every call going to the API's host", async () => {
    const user = "user_cross_origin";
    const context = await h.browser.newContext({ baseURL: allowed.origin, reducedMotion: "reduce" });
    const page = await context.newPage();
    const calls: string[] = [];
    page.on("request", (request) => {
      if (new URL(request.url()).pathname.startsWith("/api/")) calls.push(request.url());
    });
    await page.goto("/");
    await page.getByLabel("User ID").fill(user);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { level: 1, name: "AI LLM Providers" }).waitFor();
    await page.getByLabel("OpenAI API key").fill("sk-cross-origin-key-0001");
    await page.getByRole("button", { name: "Continue" }).click();

    await page.getByRole("heading", { level: 1, name: "Website Analysis" }).waitFor();
    await page.getByLabel("Website URL").fill(h.siteUrl);
    await page.getByRole("button", { name: "Analyze" }).click();
    await page.getByRole("group", { name: "Writing style" }).waitFor();
    await page.getByRole("button", { name: "Continue" }).click();

    await page.getByRole("heading", { level: 1, name: "AI Research" }).waitFor();
    await page.getByRole("checkbox", { name: "Newsletters" }).check();
    await page.getByRole("button", { name: "Continue" }).click();

    await page.getByRole("heading", { level: 1, name: "Personalization" }).waitFor();
    await page.getByRole("button", { name: "Generate persona" }).click();
    await page.getByRole("group", { name: "Core persona" }).waitFor();
    await page.getByRole("button", { name: "Continue" }).click();

    await page.getByRole("heading", { level: 1, name: "Integrations" }).waitFor();
    await page.getByRole("checkbox", { name: "WordPress" }).check();
    await page.getByRole("button", { name: "Continue" }).click();

    await page.getByRole("heading", { level: 1, name: "Complete Setup" }).waitFor();
    await page.getByRole("region", { name: "AI providers" }).getByText("1 key saved").waitFor();
    await page.getByRole("button", { name: "Finish onboarding" }).click();
    await page.getByRole("heading", { level: 1, name: "Onboarding complete" }).waitFor();

    expect(calls.length).toBeGreaterThan(10);
    expect(calls.filter((url) => !url.startsWith(`${apiOrigin}/api/`))).toEqual([]);
    const summary = await h.api(user, "/summary");
    expect(summary.api_keys).toMatchObject({ count: 1, providers: [{ provider: "openai" }] });
    expect((await h.api(user, "/status")).is_completed).toBe(true);
    await context.close();
  });

  it("from an origin the API does not allow, nothing works and nothing is written", async () => {
    const user = "user_refused_origin";
    const { token } = (await (
      await fetch(`${apiOrigin}/api/dev/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ user_id: user }) })
    ).json()) as { token: string };
    const before = storedRows();
    const context = await h.browser.newContext({ baseURL: refused.origin, reducedMotion: "reduce" });
    const page = await context.newPage();
    await page.goto("/");
    // The page cannot even read the server's auth mode: it says the server cannot be reached.
    await page.getByText("The server cannot be reached").waitFor({ timeout: 60_000 });
    expect(await page.getByLabel("User ID").count()).toBe(0);

    // What a script of that origin would try with a valid token: the browser refuses each call.
    const attempts = await page.evaluate(
      async ({ api, bearer }) => {
        const outcomes: string[] = [];
        const tries: [string, RequestInit][] = [
          ["/api/dev/token", { method: "POST", headers: { "content-type": "application/json" }, body: '{"user_id":"user_refused_origin"}' }],
          ["/api/onboarding/status", { headers: { authorization: `Bearer ${bearer}` } }],
          [
            "/api/onboarding/step/3/complete",
            {
              method: "POST",
              headers: { authorization: `Bearer ${bearer}`, "content-type": "application/json" },
              body: '{"data":{"research_depth":"Basic","content_types":["Blog posts"],"auto_research":true,"factual_content":true}}',
            },
          ],
        ];
        for (const [path, init] of tries) {
          outcomes.push(await fetch(`${api}${path}`, init).then((r) => `answered ${r.status}`, (e: unknown) => (e instanceof TypeError ? "refused" : String(e))));
        }
        return outcomes;
      },
      { api: apiOrigin, bearer: token },
    );
    expect(attempts).toEqual(["refused", "refused", "refused"]);

    expect(storedRows()).toEqual(before);
    expect(storedRows()).toMatchObject({ [`sessions of ${user}`]: 0 });
    await context.close();
  });
});
