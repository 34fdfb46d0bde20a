import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestApp, type TestApp } from "../src/test-support/test-app.js";
import { listenOnFreePort, sendRaw } from "./raw-http.js";

/**
 * The server closes clients that stall (decision 0011): headers not complete within
 * HEADERS_TIMEOUT_MS, or a request not complete within REQUEST_TIMEOUT_MS, get 408 in the error
 * shape and a closed connection. Short values here; the reliability suite runs the defaults.
 */
describe("the HTTP server's own timeouts", () => {
  let t: TestApp;
  let port: number;
  beforeAll(async () => {
    t = await openTestApp("sqlite", { STORAGE_MODE: "database", REQUEST_TIMEOUT_MS: "2000", HEADERS_TIMEOUT_MS: "1000", KEEP_ALIVE_TIMEOUT_MS: "1500" });
    port = await listenOnFreePort(t.app);
  });
  afterAll(async () => {
    await t.close();
  });

  it("are the configured ones", () => {
    expect(t.app.server.requestTimeout).toBe(2_000);
    expect(t.app.server.headersTimeout).toBe(1_000);
    expect(t.app.server.keepAliveTimeout).toBe(1_500);
  });

  it("answer 408 to headers that stop coming, after HEADERS_TIMEOUT_MS", async () => {
    const started = performance.now();
    const answer = await sendRaw(port, "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ", 6_000);
    const elapsed = performance.now() - started;
    expect(answer.status).toBe(408);
    expect(JSON.parse(answer.body)).toMatchObject({ code: "request_timeout" });
    expect(elapsed).toBeGreaterThanOrEqual(1_000);
    expect(elapsed).toBeLessThan(3_500);
  });

  it("answer 408 to a body that stops coming, after REQUEST_TIMEOUT_MS", async () => {
    const started = performance.now();
    const head = "POST /api/dev/token HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n";
    const answer = await sendRaw(port, `${head}{"user_id":`, 7_000);
    const elapsed = performance.now() - started;
    expect(answer.status).toBe(408);
    expect(elapsed).toBeGreaterThanOrEqual(2_000);
    expect(elapsed).toBeLessThan(4_500);
  });
});
