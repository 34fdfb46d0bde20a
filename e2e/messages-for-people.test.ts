import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FIXTURE_PAGE } from "../src/test-support/fixture-page.js";
import { ApiClient, type ApiResponse } from "../src/test-support/api-client.js";
import { NOT_FOR_PEOPLE } from "../src/test-support/leak-pattern.js";
import { sampleStepData } from "../src/test-support/sample-steps.js";
import { openTestApp, type TestApp } from "../src/test-support/test-app.js";
import { TEST_DIALECTS } from "../src/test-support/test-database.js";
import { htmlPage, startPageServer, type TestPageServer } from "../src/test-support/test-page-server.js";

/**
 * SPEC §10: messages a person reads name no route, URL, host, status or error code. Two nets:
 * every error the source constructs with a literal message (the error catalogue's classes and
 * the error handler's tables), and the answers of a walk through the API's refusals and of the
 * generators with an unreachable model and an unreadable page.
 */

const SOURCE = join(import.meta.dirname, "..", "src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "test-support" || entry.name === "cli" ? [] : sourceFiles(path);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

/** The error classes a client can be answered with: the catalogue's and every subclass in src. */
function errorClasses(files: readonly string[]): Set<string> {
  const names = new Set(["AppError"]);
  for (let grown = true; grown; ) {
    grown = false;
    for (const file of files) {
      for (const [, name, base] of readFileSync(file, "utf8").matchAll(/class (\w+) extends (\w+)/g)) {
        if (names.has(base!) && !names.has(name!)) grown = names.add(name!) !== undefined;
      }
    }
  }
  return names;
}

/** Literal (or template) messages given to those classes, and the `detail`s of the error handler's tables. */
function literalMessages(): { where: string; text: string }[] {
  const files = sourceFiles(SOURCE);
  const classes = [...errorClasses(files)].join("|");
  const literal = String.raw`("(?:[^"\\]|\\.)*"|\x60(?:[^\x60\\]|\\.)*\x60)`;
  const patterns = [new RegExp(String.raw`new (?:${classes})\(\s*${literal}`, "g"), new RegExp(String.raw`errorBody\(\s*${literal}`, "g"), new RegExp(String.raw`detail: ${literal}`, "g")];
  const found: { where: string; text: string }[] = [];
  for (const file of files) {
    const text = readFileSync(file, "utf8");
    for (const pattern of patterns) {
      for (const match of text.matchAll(pattern)) found.push({ where: file.slice(SOURCE.length), text: match[1]!.slice(1, -1).replace(/\$\{[^}]*\}/g, "x") });
    }
  }
  return found;
}

describe("the error catalogue's messages", () => {
  it("name no route, URL, host or error code", () => {
    const messages = literalMessages();
    // The walk finds the catalogue: dozens of messages, among them ones this rule once caught.
    expect(messages.length).toBeGreaterThan(40);
    expect(messages.map((m) => m.text)).toContain("There is nothing at this address");
    const leaks = messages.filter((m) => NOT_FOR_PEOPLE.test(m.text));
    expect(leaks).toEqual([]);
  });

  it("has a pattern that catches what it is for", () => {
    for (const bad of [
      "Analyse your website (POST /website/analyze) or send its analysis.",
      "could not reach http://127.0.0.1:9/v1/chat/completions (ECONNREFUSED)",
      "llm.internal:8443 answered",
      "The server answered HTTP 404",
      "see /api/onboarding/step/2",
    ]) {
      expect(bad).toMatch(NOT_FOR_PEOPLE);
    }
    expect("Step 2 (Website Analysis) cannot be completed yet: data.website is required").not.toMatch(NOT_FOR_PEOPLE);
  });
});

describe.each(TEST_DIALECTS)("messages the API sends a person on %s", (dialect) => {
  let t: TestApp;
  let site: TestPageServer;
  const seen: { what: string; text: string }[] = [];

  beforeAll(async () => {
    site = await startPageServer({ "/": htmlPage(FIXTURE_PAGE) });
    // The model is a closed local port (CLOSED_LOCAL_LLM): every enrichment fails to connect.
    t = await openTestApp(dialect, { STORAGE_MODE: "dual", WEBSITE_FETCH_ALLOW_PRIVATE: "true", LLM_API_KEY: "sk-server-model-key-0001" });
  });
  afterAll(async () => {
    await t.close();
    await site.close();
  });

  /** Every text of an answer a page shows: detail, field messages, warnings, analysis messages, task errors. */
  function collect(what: string, response: ApiResponse): ApiResponse {
    const body = (response.body ?? {}) as Record<string, unknown>;
    const texts = [
      body.detail,
      ...((body.errors as { message?: unknown }[] | undefined) ?? []).map((e) => e.message),
      ...((body.warnings as unknown[] | undefined) ?? []),
      body.warning_message,
      body.error_message,
      body.message,
    ];
    for (const text of texts) if (typeof text === "string") seen.push({ what, text });
    return response;
  }

  it("walks refusals and fallbacks and finds no route, URL, host or code in any of them", async () => {
    const api = await ApiClient.signIn(t.app, `user_messages_${dialect}`);
    const calls: [string, () => Promise<ApiResponse>][] = [
      ["locked step", () => api.put("/step/3", { data: sampleStepData(3, "m") })],
      ["not skippable", () => api.post("/step/1/skip")],
      ["cannot complete step 1", () => api.post("/step/1/complete")],
      ["validation", () => api.put("/step/1", { data: { api_keys: { openai: "short" } } })],
      ["no persona", () => api.get("/step4/persona-latest")],
      ["step 6 data", () => api.put("/step/6", { data: {} })],
      ["unknown route", () => api.get("/nothing-here")],
      ["bad json", () => api.send({ method: "PUT", url: "/step/3", payload: "{", headers: { "content-type": "application/json" } })],
      ["media type", () => api.send({ method: "PUT", url: "/step/3", payload: "x", headers: { "content-type": "text/plain" } })],
      ["complete 1", () => api.post("/step/1/complete", { data: { api_keys: { openai: "sk-messages-key-0001" } } })],
      ["cannot complete step 2", () => api.post("/step/2/complete", { data: { website: `${site.origin}/` } })],
      ["refused website", () => api.post("/website/analyze", { website: "https://someone:secret@example.com/" })],
      ["unreadable page", () => api.post("/website/analyze", { website: `${site.origin}/gone` })],
      ["analysis with an unreachable model", () => api.post("/website/analyze", { website: `${site.origin}/` })],
      ["complete 2", () => api.post("/step/2/complete")],
      ["complete 3", () => api.post("/step/3/complete", { data: sampleStepData(3, "m") })],
      ["persona with an unreachable model", () => api.post("/step4/generate-personas", { selectedPlatforms: ["blog"] })],
      ["step done", () => api.put("/step/2", { data: { website: `${site.origin}/other` } })],
      ["last model key", () => api.delete("/api-keys/openai")],
      ["finish too early", () => api.post("/complete")],
    ];
    for (const [what, call] of calls) collect(what, await call());

    const task = collect("persona task", await api.post("/step4/generate-personas-async", {}));
    for (let i = 0; i < 100; i++) {
      const state = collect("persona task state", await api.get(`/step4/persona-task/${task.body.task_id}`));
      if (state.body.status === "completed" || state.body.status === "failed") {
        collect("persona task result", { ...state, body: state.body.result ?? {} });
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    const whats = new Set(seen.map((s) => s.what));
    // Each refusal and each fallback said something, so each was checked.
    for (const what of ["locked step", "step done", "last model key", "refused website", "unreadable page", "analysis with an unreachable model", "persona with an unreachable model", "persona task result", "unknown route"]) {
      expect(whats, what).toContain(what);
    }
    // The fallbacks were really taken: the model could not be reached, the page not read.
    const said = (what: string) => seen.filter((s) => s.what === what).map((s) => s.text);
    expect(said("persona with an unreachable model")).toContain(
      "The language model was not available; the persona was generated from your website analysis and research preferences alone.",
    );
    expect(said("analysis with an unreachable model").join(" ")).toMatch(/language model was not available/);
    expect(said("unreadable page")).toContain("The site did not send the page: it may not exist, or the site refused to show it.");
    expect(seen.filter((s) => NOT_FOR_PEOPLE.test(s.text))).toEqual([]);
  });
});
