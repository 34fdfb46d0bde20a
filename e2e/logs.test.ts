import { afterEach, describe, expect, it } from "vitest";
import { ApiClient, type ApiResponse } from "../src/test-support/api-client.js";
import { sampleStepData } from "../src/test-support/sample-steps.js";
import { openTestApp, type TestApp } from "../src/test-support/test-app.js";
import { TEST_DIALECTS } from "../src/test-support/test-database.js";

interface LogLine {
  readonly msg: string;
  readonly reqId?: string;
  readonly user_id?: string;
  readonly step?: number;
}

const USER = "user_2abc";
const OPENAI_KEY = "sk-logs-OPENAI-secret-31337";
const GEMINI_KEY = "AIza-logs-GEMINI-secret-4242";

/** The lines a call wrote, and its answer; calls run one at a time, so every new line is the call's. */
async function logged(t: TestApp, call: () => Promise<ApiResponse>): Promise<{ response: ApiResponse; lines: LogLine[] }> {
  const start = t.logs.length;
  const response = await call();
  return { response, lines: t.logs.slice(start).map((text) => JSON.parse(text) as LogLine) };
}

describe.each(TEST_DIALECTS)("logs on %s", (dialect) => {
  let t: TestApp;
  afterEach(() => t.close());

  it("logs each step save with the old platform's line, user_id, step and the request's id", async () => {
    t = await openTestApp(dialect, { STORAGE_MODE: "dual" });
    const api = await ApiClient.signIn(t.app, USER);
    const saves: [() => Promise<ApiResponse>, number, string[]][] = [
      [() => api.post("/api-keys", { provider: "openai", api_key: OPENAI_KEY }), 1, ["API key for openai"]],
      [() => api.post("/step/1/complete", { data: { api_keys: { gemini: GEMINI_KEY } } }), 1, ["API key for gemini"]],
      [() => api.post("/step/2/complete", { data: sampleStepData(2, "logs") }), 2, ["Website analysis"]],
      [() => api.post("/step/3/complete", { data: sampleStepData(3, "logs") }), 3, ["Research preferences"]],
      [() => api.put("/step/4", { data: sampleStepData(4, "logs") }), 4, ["Persona data"]],
      [() => api.post("/step4/generate-personas"), 4, ["Persona data"]],
      [() => api.post("/step/4/complete"), 4, []],
      [() => api.post("/step/5/complete", { data: sampleStepData(5, "logs") }), 5, ["Integrations"]],
    ];
    for (const [call, step, subjects] of saves) {
      const { response, lines } = await logged(t, call);
      expect(response.status, response.text).toBe(200);
      const saveLines = lines.filter((line) => line.msg.startsWith("✅"));
      expect(saveLines.map((line) => line.msg)).toEqual(subjects.map((subject) => `✅ DATABASE: ${subject} saved to database for user ${USER}`));
      for (const line of saveLines) expect(line).toMatchObject({ user_id: USER, step, reqId: response.headers["x-request-id"] });
    }
    // A key twice in one line (request binding plus call fields) breaks strict JSON readers.
    for (const text of t.logs) expect(text.match(/"(user_id|reqId|step)":/g)?.length ?? 0, text).toBe(new Set(text.match(/"(user_id|reqId|step)":/g)).size);
  });

  it("puts the request id on every line of a request and on the response, honouring an incoming x-request-id", async () => {
    t = await openTestApp(dialect, { STORAGE_MODE: "dual" });
    const api = await ApiClient.signIn(t.app, USER);
    const calls: [string, () => Promise<ApiResponse>][] = [
      ["hardening-req-1", () => api.send({ method: "PUT", url: "/step/1", payload: { data: { api_keys: { openai: OPENAI_KEY } } }, headers: { "x-request-id": "hardening-req-1" } })],
      ["hardening-req-2", () => api.send({ method: "PUT", url: "/step/3", payload: { data: { research_depth: "Deep" } }, headers: { "x-request-id": "hardening-req-2" } })],
      ["hardening-req-3", () => api.send({ method: "GET", url: "/status", headers: { "x-request-id": "hardening-req-3", authorization: "Bearer nope" } })],
    ];
    for (const [id, call] of calls) {
      const { response, lines } = await logged(t, call);
      expect(response.headers["x-request-id"]).toBe(id);
      expect(lines.length).toBeGreaterThanOrEqual(2);
      for (const line of lines) expect(line.reqId, line.msg).toBe(id);
    }
    const { response, lines } = await logged(t, () => api.get("/progress"));
    const generated = response.headers["x-request-id"];
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    for (const line of lines) expect(line.reqId, line.msg).toBe(generated);
  });

  it("replaces an incoming x-request-id that is too long or not a plain token, so it cannot forge log content", async () => {
    t = await openTestApp(dialect, { STORAGE_MODE: "dual" });
    const api = await ApiClient.signIn(t.app, USER);
    for (const unsafe of ["x".repeat(129), 'id" "user_id":"user_other', "id with spaces", "é", ""]) {
      const { response, lines } = await logged(t, () => api.send({ method: "GET", url: "/status", headers: { "x-request-id": unsafe } }));
      const replaced = response.headers["x-request-id"];
      expect(replaced, JSON.stringify(unsafe)).toMatch(/^[0-9a-f-]{36}$/);
      for (const line of lines) expect(line.reqId).toBe(replaced);
      expect(t.logs.join("\n")).not.toContain("user_other");
    }
  });

  it("never logs a key, a token or an Authorization header, on success, 400, 401 and 413 alike", async () => {
    t = await openTestApp(dialect, { STORAGE_MODE: "dual" });
    const api = await ApiClient.signIn(t.app, USER);
    const forged = `${api.token.slice(0, -6)}AAAAAA`;
    const withSpace = `sk-logs has-a-space-secret-777`;
    const calls = [
      () => api.post("/api-keys", { provider: "openai", api_key: OPENAI_KEY }),
      () => api.put("/step/1", { data: { api_keys: { gemini: GEMINI_KEY } } }),
      () => api.post("/api-keys", { provider: "openai", api_key: withSpace }),
      () => api.post("/api-keys", { provider: "nope", api_key: OPENAI_KEY }),
      () => api.post("/api-keys", { provider: "openai", api_key: OPENAI_KEY, extra: OPENAI_KEY }),
      () => api.send({ method: "POST", url: "/api-keys", payload: `{"provider":"openai","api_key":"${OPENAI_KEY}"`, headers: { "content-type": "application/json" } }),
      () => api.send({ method: "POST", url: "/api-keys", payload: `provider=openai&api_key=${OPENAI_KEY}`, headers: { "content-type": "application/x-www-form-urlencoded" } }),
      () => api.post("/api-keys", { provider: "openai", api_key: OPENAI_KEY.repeat(40_000) }),
      () => api.send({ method: "GET", url: "/status", headers: { authorization: `Bearer ${forged}` } }),
      () => api.send({ method: "GET", url: "/status", headers: { authorization: `Token ${api.token}` } }),
      () => api.send({ method: "GET", url: "/status", headers: { authorization: `Bearer ${OPENAI_KEY} extra` } }),
    ];
    const statuses = [];
    for (const call of calls) statuses.push((await call()).status);
    expect(statuses).toEqual([200, 200, 400, 400, 400, 400, 415, 413, 401, 401, 401]);
    const everything = t.logs.join("\n");
    for (const secret of [OPENAI_KEY, GEMINI_KEY, withSpace, api.token, forged, "has-a-space-secret"]) expect(everything).not.toContain(secret);
    expect(everything.toLowerCase()).not.toMatch(/"authorization"\s*:\s*"(bearer|token|basic)/);
  });
});
