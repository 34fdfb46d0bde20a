/// <reference lib="dom" />
// page.evaluate callbacks run in the browser.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { FIXTURE_PAGE } from "../../src/test-support/fixture-page.js";
import { startPageServer, type TestPageServer } from "../../src/test-support/test-page-server.js";
import { CHROMIUM_ARGS } from "./chromium.js";
import { closedModelProviders } from "../../src/test-support/closed-model-providers.js";

export const SCREENSHOTS = join(process.cwd(), "e2e", "screenshots");
const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

export interface WizardHarness {
  /** The server, started as `npm start` starts it. */
  readonly baseUrl: string;
  /** A local site to analyse (answers after `siteDelayMs`, so the progress shows). */
  readonly siteUrl: string;
  /** A local port where nothing listens. */
  readonly closedUrl: string;
  readonly browser: Browser;
  /** A fresh browser context (its own sessionStorage: another device, as far as the page can tell). */
  newContext(options?: { width?: number }): Promise<BrowserContext>;
  /** An onboarding route as the user, through the API (what the server holds, not what the page shows). */
  api(userId: string, path: string, body?: unknown): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** How long the local site takes to answer (long enough to see the analysis's progress). */
  readonly siteDelayMs?: number;
  /** Configuration over the defaults below (e.g. clerk auth mode). */
  readonly env?: Readonly<Record<string, string>>;
}

/** SQLite in a temp dir, dual storage, dev auth, a free port, no LLM reachable, private sites allowed. */
export async function openWizardHarness(chromiumPath: string, { siteDelayMs = 700, env = {} }: HarnessOptions = {}): Promise<WizardHarness> {
  const dir = mkdtempSync(join(tmpdir(), "wizard-e2e-"));
  const closed = await closedPort();
  const site: TestPageServer = await startPageServer({
    "/": (_req, res) => void setTimeout(() => res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(FIXTURE_PAGE), siteDelayMs),
  });
  const server = startServer({
    PORT: "0",
    DATABASE_URL: `sqlite:${join(dir, "onboarding.db")}`,
    STORAGE_MODE: "dual",
    DATA_DIR: dir,
    PROGRESS_DIR: join(dir, "progress"),
    AUTH_MODE: "dev",
    LOCAL_ENV_KEYS: "false",
    WEBSITE_FETCH_ALLOW_PRIVATE: "true",
    ...closedModelProviders(`http://127.0.0.1:${closed}/v1`),
    ...env,
  });
  const baseUrl = await server.url;
  const browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
  mkdirSync(SCREENSHOTS, { recursive: true });
  return {
    baseUrl,
    siteUrl: `${site.origin}/`,
    closedUrl: `http://127.0.0.1:${closed}/`,
    browser,
    newContext: ({ width = 1280 } = {}) => browser.newContext({ baseURL: baseUrl, viewport: { width, height: 900 }, reducedMotion: "reduce" }),
    api: async (userId, path, body) => {
      const json = { "content-type": "application/json" };
      const { token } = (await (await fetch(`${baseUrl}/api/dev/token`, { method: "POST", headers: json, body: JSON.stringify({ user_id: userId }) })).json()) as { token: string };
      const reply = await fetch(`${baseUrl}/api/onboarding${path}`, {
        method: body === undefined ? "GET" : "POST",
        headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : json) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      if (!reply.ok) throw new Error(`${path}: ${reply.status} ${await reply.text()}`);
      return (await reply.json()) as Record<string, unknown>;
    },
    close: async () => {
      await browser.close();
      server.child.kill("SIGTERM");
      await server.exited;
      await site.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `node scripts/start.mjs`: what `npm start` runs (the global setup has built what it needs). */
function startServer(env: Record<string, string>): { child: ChildProcess; url: Promise<string>; exited: Promise<void> } {
  const child = spawn(process.execPath, ["scripts/start.mjs"], { env: { ...process.env, ...env, LOG_LEVEL: "info" }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const url = new Promise<string>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout?.on("data", read);
    child.stderr?.on("data", read);
    child.on("exit", (code) => reject(new Error(`the server exited (${code}) before listening:\n${output}`)));
  });
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  return { child, url, exited };
}

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Steps 1-5 (or 1-`through`) done through the API, for tests about what the page shows of them. */
export async function completeStepsThroughApi(h: WizardHarness, userId: string, through = 5): Promise<void> {
  await h.api(userId, "/step/1/complete", { data: { api_keys: { openai: "sk-through-the-api-5678" } } });
  await h.api(userId, "/website/analyze", { website: h.siteUrl });
  await h.api(userId, "/step/2/complete", {});
  await h.api(userId, "/step/3/complete", { data: { research_depth: "Basic", content_types: ["Blog posts"], auto_research: true, factual_content: true } });
  await h.api(userId, "/step4/generate-personas", { selectedPlatforms: ["linkedin", "instagram"] });
  await h.api(userId, "/step/4/complete", {});
  if (through < 5) return;
  await h.api(userId, "/step/5/complete", { data: { website_platforms: ["ghost"], analytics_platforms: [], social_platforms: ["instagram"] } });
}

/** Signs in on the dev form and waits for the wizard's first heading. */
export async function signIn(page: Page, userId: string): Promise<void> {
  await page.goto("/");
  await page.getByLabel("User ID").fill(userId);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("navigation", { name: "Onboarding progress" }).waitFor();
}

export interface AxeFinding {
  readonly id: string;
  readonly impact: string | null;
  readonly nodes: number;
}

/** axe-core injected into the page; every violation, the serious and critical ones being the failures. */
export async function axeViolations(page: Page): Promise<AxeFinding[]> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string | null; nodes: unknown[] }[] }> } }).axe;
    const result = await axe.run();
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
  });
}

export function seriousOrCritical(findings: readonly AxeFinding[]): AxeFinding[] {
  return findings.filter((finding) => finding.impact === "serious" || finding.impact === "critical");
}

export async function screenshot(page: Page, name: string): Promise<void> {
  // From the top: the nav is sticky, and a full-page shot of a scrolled page shows it mid-way.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true, animations: "disabled" });
}

/** The page never scrolls sideways: everything fits the viewport's width. */
export async function overflowsSideways(page: Page): Promise<boolean> {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
}
