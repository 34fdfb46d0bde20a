import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestApp, type TestApp } from "../src/test-support/test-app.js";
import { expectErrorShape } from "./hardening-support.js";
import { listenOnFreePort } from "./raw-http.js";

const PAGE = "https://app.example.com";

async function read(response: Response): Promise<{ status: number; text: string; body: ReturnType<typeof JSON.parse> }> {
  const text = await response.text();
  return { status: response.status, text, body: JSON.parse(text) };
}
const OTHER_PAGE = "https://evil.example.net";

/**
 * CORS_ORIGINS over real HTTP (SPEC §2, §10): what a browser is told when the page lives on a
 * host of its own. Node's fetch does not enforce CORS, so the headers a browser would act on are
 * read directly; the browser suite (e2e/browser/cross-origin.test.ts) shows Chromium acting on them.
 */
describe("CORS for a page on its own host", () => {
  let t: TestApp;
  let base: string;

  beforeAll(async () => {
    t = await openTestApp("sqlite", { CORS_ORIGINS: `${PAGE}, http://127.0.0.1:5173` });
    base = `http://127.0.0.1:${await listenOnFreePort(t.app)}`;
  });
  afterAll(() => t.close());

  const preflight = (path: string, origin: string, method = "PUT") =>
    fetch(`${base}${path}`, {
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": method, "access-control-request-headers": "authorization, content-type" },
    });

  it("answers an allowed origin's preflight with its methods and headers, before authentication", async () => {
    const answer = await preflight("/api/onboarding/step/3", PAGE);
    expect(answer.status).toBe(204);
    expect(answer.headers.get("access-control-allow-origin")).toBe(PAGE);
    expect(answer.headers.get("access-control-allow-methods")).toContain("PUT");
    expect(answer.headers.get("access-control-allow-headers")?.toLowerCase()).toBe("authorization, content-type");
    expect(answer.headers.get("access-control-max-age")).toBe("600");
    expect(answer.headers.get("access-control-allow-credentials")).toBeNull();
    expect(answer.headers.get("vary")).toMatch(/origin/i);
  });

  it("lets the page sign in in dev mode and read its answers", async () => {
    expect((await preflight("/api/dev/token", PAGE, "POST")).headers.get("access-control-allow-origin")).toBe(PAGE);
    const token = await fetch(`${base}/api/dev/token`, {
      method: "POST",
      headers: { origin: PAGE, "content-type": "application/json" },
      body: JSON.stringify({ user_id: "user_cors_1" }),
    });
    expect(token.status).toBe(200);
    expect(token.headers.get("access-control-allow-origin")).toBe(PAGE);
    const { token: bearer } = (await token.json()) as { token: string };
    const status = await fetch(`${base}/api/onboarding/status`, { headers: { origin: PAGE, authorization: `Bearer ${bearer}` } });
    expect(status.status).toBe(200);
    expect(status.headers.get("access-control-allow-origin")).toBe(PAGE);
    expect(status.headers.get("access-control-expose-headers")).toMatch(/x-request-id/i);
  });

  it("keeps the error body and adds the CORS headers to a 401 and a 400, so the page can read them", async () => {
    const unauthorised = await fetch(`${base}/api/onboarding/status`, { headers: { origin: PAGE } });
    expect(unauthorised.headers.get("access-control-allow-origin")).toBe(PAGE);
    expectErrorShape(await read(unauthorised), 401, "unauthorized");
    const invalid = await fetch(`${base}/api/dev/token`, {
      method: "POST",
      headers: { origin: PAGE, "content-type": "application/json" },
      body: JSON.stringify({ user_id: 42 }),
    });
    expect(invalid.headers.get("access-control-allow-origin")).toBe(PAGE);
    expectErrorShape(await read(invalid), 400, "validation_failed");
  });

  it("tells another origin nothing: no CORS header on its preflight (the usual 404) or its requests", async () => {
    const refused = await preflight("/api/onboarding/step/3", OTHER_PAGE);
    expect(refused.headers.get("access-control-allow-origin")).toBeNull();
    expect(refused.headers.get("access-control-allow-methods")).toBeNull();
    expectErrorShape(await read(refused), 404, "not_found");
    const token = await fetch(`${base}/api/dev/token`, {
      method: "POST",
      headers: { origin: OTHER_PAGE, "content-type": "application/json" },
      body: JSON.stringify({ user_id: "user_cors_2" }),
    });
    expect(token.headers.get("access-control-allow-origin")).toBeNull();
    // A prefix or a look-alike of an allowed origin is another origin.
    for (const lookAlike of [`${PAGE}.evil.net`, "http://app.example.com", `${PAGE}:8443`]) {
      expect((await preflight("/api/dev/token", lookAlike, "POST")).headers.get("access-control-allow-origin")).toBeNull();
    }
  });

  it("adds nothing to a same-origin request (no Origin header)", async () => {
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(health.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("without CORS_ORIGINS", () => {
  let t: TestApp;
  let base: string;

  beforeAll(async () => {
    t = await openTestApp("sqlite");
    base = `http://127.0.0.1:${await listenOnFreePort(t.app)}`;
  });
  afterAll(() => t.close());

  it("answers no preflight and sends no CORS header, whatever the origin", async () => {
    const answer = await fetch(`${base}/api/dev/token`, { method: "OPTIONS", headers: { origin: PAGE, "access-control-request-method": "POST" } });
    expect(answer.headers.get("access-control-allow-origin")).toBeNull();
    expectErrorShape(await read(answer), 404, "not_found");
  });
});
