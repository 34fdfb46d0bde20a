import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "../src/test-support/api-client.js";
import { sampleStepData } from "../src/test-support/sample-steps.js";
import { openTestApp, type TestApp } from "../src/test-support/test-app.js";
import { TEST_DIALECTS } from "../src/test-support/test-database.js";
import { expectErrorShape, tableSnapshot, walkToStepFour } from "./hardening-support.js";

const KEY = "sk-ant-request-bodies-0001";
const STEP3 = sampleStepData(3, "bodies");
const ERRORS_50 = Array.from({ length: 50 }, (_, i) => `client-side problem ${i}`);

interface Case {
  readonly route: string;
  readonly method: "PUT" | "POST";
  readonly url: string;
  readonly body: Record<string, unknown>;
}

/** Each route that takes a body of the old platform's request models, with a body it accepts. */
const ROUTES: readonly Case[] = [
  { route: "PUT /step/3", method: "PUT", url: "/step/3", body: { data: STEP3 } },
  { route: "POST /step/3/complete", method: "POST", url: "/step/3/complete", body: { data: STEP3 } },
  { route: "POST /api-keys", method: "POST", url: "/api-keys", body: { provider: "anthropic", api_key: KEY } },
  { route: "POST /step4/generate-personas", method: "POST", url: "/step4/generate-personas", body: { selectedPlatforms: ["blog"] } },
  { route: "POST /step4/generate-personas-async", method: "POST", url: "/step4/generate-personas-async", body: {} },
];
const route = (name: string) => ROUTES.find((c) => c.route === name)!;

/** What the old models declared, per route: accepted, then ignored. */
const DECLARED: readonly (readonly [string, Record<string, unknown>])[] = [
  ["PUT /step/3", { validation_errors: [] }],
  ["PUT /step/3", { validation_errors: ERRORS_50 }],
  ["POST /step/3/complete", { validation_errors: [] }],
  ["POST /step/3/complete", { validation_errors: ["x".repeat(1000)] }],
  ["POST /api-keys", { description: "" }],
  ["POST /api-keys", { description: "d".repeat(500) }],
  ["POST /step4/generate-personas", { selectedPlatforms: undefined, selected_platforms: ["blog"], onboarding_data: { websiteAnalysis: { a: 1 } }, user_preferences: null, force: true }],
  ["POST /step4/generate-personas-async", { selected_platforms: ["blog"], onboarding_data: {}, user_preferences: { tone: "warm" }, force: false }],
];

/** Keys nobody declared (near misses of the declared ones among them), and declared keys out of bounds. */
const REFUSED: readonly (readonly [string, Record<string, unknown>, string])[] = [
  ...["PUT /step/3", "POST /step/3/complete"].flatMap((name) => [
    [name, { validation_error: [] }, "validation_error"] as const,
    [name, { validationErrors: [] }, "validationErrors"] as const,
    [name, { description: "a note" }, "description"] as const,
    [name, { user_id: "user_someone_else" }, "user_id"] as const,
    [name, { validation_errors: [...ERRORS_50, "one more"] }, "validation_errors"] as const,
    [name, { validation_errors: ["x".repeat(1001)] }, "validation_errors.0"] as const,
    [name, { validation_errors: [42] }, "validation_errors.0"] as const,
    [name, { validation_errors: "none" }, "validation_errors"] as const,
  ]),
  ["POST /api-keys", { validation_errors: [] }, "validation_errors"],
  ["POST /api-keys", { descriptions: "a note" }, "descriptions"],
  ["POST /api-keys", { user_id: "user_someone_else" }, "user_id"],
  ["POST /api-keys", { description: "d".repeat(501) }, "description"],
  ["POST /api-keys", { description: 42 }, "description"],
  ...["POST /step4/generate-personas", "POST /step4/generate-personas-async"].flatMap((name) => [
    [name, { selectedplatforms: ["blog"] }, "selectedplatforms"] as const,
    [name, { onboardingData: {} }, "onboardingData"] as const,
    [name, { validation_errors: [] }, "validation_errors"] as const,
    [name, { onboarding_data: "steps 2-3" }, "onboarding_data"] as const,
    [name, { force: "yes" }, "force"] as const,
    [name, { selected_platforms: [] }, "selected_platforms"] as const,
    [name, { selectedPlatforms: ["blog"], selected_platforms: ["blog"] }, "selected_platforms"] as const,
  ]),
];

describe.each(TEST_DIALECTS)("the old platform's request bodies on %s", (dialect) => {
  let t: TestApp;
  let api: ApiClient;

  beforeAll(async () => {
    t = await openTestApp(dialect, { STORAGE_MODE: "dual" });
    api = await ApiClient.signIn(t.app, "user_2bodies");
    await walkToStepFour(api, "bodies");
  });
  afterAll(() => t.close());

  it.each(REFUSED.map(([name, extra, path]) => [name, JSON.stringify(extra).slice(0, 60), { ...route(name), extra, path }] as const))(
    "%s refuses %s with 400 naming it, saving nothing",
    async (_name, _shown, c) => {
      const before = await tableSnapshot(t);
      const response = await api.send({ method: c.method, url: c.url, payload: { ...c.body, ...c.extra } });
      expectErrorShape(response, 400, "validation_failed");
      expect(response.body.errors.map((e: { path: string }) => e.path)).toContain(c.path);
      expect(await tableSnapshot(t)).toEqual(before);
    },
  );

  it.each(DECLARED.map(([name, extra]) => [name, JSON.stringify(extra).slice(0, 60), { ...route(name), extra }] as const))(
    "%s accepts and ignores %s",
    async (_name, _shown, c) => {
      const response = await api.send({ method: c.method, url: c.url, payload: { ...c.body, ...c.extra } });
      expect(response.status, response.text).toBe(c.url.endsWith("-async") ? 202 : 200);
      expect(response.text).not.toContain("client-side problem");
      expect((await api.get("/step/3")).body.validation_errors).toEqual([]);
    },
  );
});
