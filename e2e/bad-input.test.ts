import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "../src/test-support/api-client.js";
import { sampleStepData } from "../src/test-support/sample-steps.js";
import { openTestApp, type TestApp } from "../src/test-support/test-app.js";
import { TEST_DIALECTS } from "../src/test-support/test-database.js";
import { expectErrorShape, OPENAI_KEY, tableSnapshot, walkToStepFour } from "./hardening-support.js";

interface BadInput {
  readonly name: string;
  readonly method: "GET" | "PUT" | "POST" | "DELETE";
  readonly url: string;
  /** Sent as JSON. */
  readonly json?: unknown;
  /** Sent as-is, labelled application/json. */
  readonly raw?: string;
  readonly status?: number;
  readonly code?: string;
  /** Each must be among the answer's `errors[].path`. */
  readonly paths?: readonly string[];
}

type DataStep = 1 | 2 | 3 | 4 | 5;

const LONG_KEY = "k".repeat(600);
const LONG_URL = `https://example.com/${"a".repeat(3000)}`;
const TWENTY_ONE = Array.from({ length: 21 }, (_, i) => `type-${i}`);
const ELEVEN_PLATFORMS = Array.from({ length: 11 }, (_, i) => `platform${i}`);

function validData(n: DataStep): Record<string, unknown> {
  return n === 1 ? { api_keys: { openai: "sk-valid-key-0000" } } : { ...sampleStepData(n, "bad") };
}

/** Bad `data` of each step and the field each one must be blamed on. */
const BAD_DATA: Record<DataStep, readonly (readonly [string, unknown, string])[]> = {
  1: [
    ["key is a number", { api_keys: { openai: 12345678 } }, "data.api_keys.openai"],
    ["600-char key", { api_keys: { openai: LONG_KEY } }, "data.api_keys.openai"],
    ["7-char key", { api_keys: { openai: "sk-1234" } }, "data.api_keys.openai"],
    ["key with whitespace", { api_keys: { openai: "sk-has space-1234" } }, "data.api_keys.openai"],
    ["key with a control character", { api_keys: { openai: "sk-1234\u00005678" } }, "data.api_keys.openai"],
    ["unknown provider", { api_keys: { notaprovider: "sk-12345678" } }, "data.api_keys.notaprovider"],
    ["api_keys is a string", { api_keys: "sk-12345678" }, "data.api_keys"],
    ["key nested in an object", { api_keys: { openai: { key: "sk-12345678" } } }, "data.api_keys.openai"],
    ["unknown key beside api_keys", { api_keys: { openai: "sk-12345678" }, user_id: "someone_else" }, "data.user_id"],
    ["api_keys missing", {}, "data.api_keys"],
  ],
  2: [
    ["ftp URL", { website: "ftp://example.com" }, "data.website"],
    ["javascript URL", { website: "javascript:alert(1)" }, "data.website"],
    ["3000-char URL", { website: LONG_URL }, "data.website"],
    ["website is a number", { website: 42 }, "data.website"],
    ["website missing", { analysis: {} }, "data.website"],
    ["analysis is a string", { website: "https://x.example.com", analysis: "great" }, "data.analysis"],
    ["analysis field is a string", { website: "https://x.example.com", analysis: { writing_style: "casual" } }, "data.analysis.writing_style"],
    ["unknown key", { website: "https://x.example.com", crawl: { depth: 3 } }, "data.crawl"],
    ["NUL in the URL", { website: "https://x.example.com/a\u0000b" }, "data.website"],
    ["unpaired surrogate in the URL", { website: "https://x.example.com/\ud800" }, "data.website"],
    ["NUL in an analysis field", { website: "https://x.example.com", analysis: { writing_style: { tone: "a\u0000" } } }, "data.analysis.writing_style.tone"],
  ],
  3: [
    ["unknown depth", { ...validData(3), research_depth: "Deep" }, "data.research_depth"],
    ["depth is a number", { ...validData(3), research_depth: 3 }, "data.research_depth"],
    ["depth nested in an object", { ...validData(3), research_depth: { value: "Basic" } }, "data.research_depth"],
    ["21 content types", { ...validData(3), content_types: TWENTY_ONE }, "data.content_types"],
    ["no content types", { ...validData(3), content_types: [] }, "data.content_types"],
    ["content types is a string", { ...validData(3), content_types: "blog" }, "data.content_types"],
    ["101-char content type", { ...validData(3), content_types: ["x".repeat(101)] }, "data.content_types.0"],
    ["auto_research is a string", { ...validData(3), auto_research: "yes" }, "data.auto_research"],
    ["factual_content missing", { research_depth: "Basic", content_types: ["blog"], auto_research: true }, "data.factual_content"],
    ["unknown key", { ...validData(3), depth_override: 1 }, "data.depth_override"],
    ["NUL in a content type", { ...validData(3), content_types: ["a\u0000b"] }, "data.content_types.0"],
    ["unpaired surrogate in a content type", { ...validData(3), content_types: ["\udc00"] }, "data.content_types.0"],
  ],
  4: [
    ["metric over 100", { ...validData(4), qualityMetrics: { overall: 101 } }, "data.qualityMetrics.overall"],
    ["metric is a string", { ...validData(4), qualityMetrics: { overall: "high" } }, "data.qualityMetrics.overall"],
    ["no platforms", { ...validData(4), selectedPlatforms: [] }, "data.selectedPlatforms"],
    ["11 platforms", { ...validData(4), selectedPlatforms: ELEVEN_PLATFORMS }, "data.selectedPlatforms"],
    ["platform with a space", { ...validData(4), selectedPlatforms: ["Linked In"] }, "data.selectedPlatforms.0"],
    ["core persona is a string", { ...validData(4), corePersona: "friendly" }, "data.corePersona"],
    ["unknown key", { ...validData(4), persona_name: "Ann" }, "data.persona_name"],
    ["NUL in a persona value", { ...validData(4), corePersona: { tone: "\u0000" } }, "data.corePersona.tone"],
    ["NUL in a persona key", { ...validData(4), corePersona: { "to\u0000ne": "warm" } }, "data.corePersona"],
  ],
  5: [
    ["platforms is a string", { ...validData(5), website_platforms: "wordpress" }, "data.website_platforms"],
    ["primary website not a URL", { ...validData(5), primary_website: "not a url" }, "data.primary_website"],
    ["21 social platforms", { ...validData(5), social_platforms: TWENTY_ONE }, "data.social_platforms"],
    ["empty platform name", { ...validData(5), website_platforms: [""] }, "data.website_platforms.0"],
    ["analytics missing", { website_platforms: [], social_platforms: [] }, "data.analytics_platforms"],
    ["unknown key", { ...validData(5), api_key: "sk-12345678" }, "data.api_key"],
    ["NUL in a platform", { ...validData(5), website_platforms: ["word\u0000press"] }, "data.website_platforms.0"],
    ["control character in the primary website", { ...validData(5), primary_website: "https://x.example.com/\u0007" }, "data.primary_website"],
  ],
};

const WHOLE_BODY_CASES = [
  ["JSON null", "null", "validation_failed"],
  ["JSON array", "[]", "validation_failed"],
  ["JSON number", "42", "validation_failed"],
  ["JSON string", '"data"', "validation_failed"],
  ["not JSON", "{data: nope", "invalid_json"],
  ["truncated JSON", '{"data": {"api_keys": {"openai": "sk-12', "invalid_json"],
] as const;

function stepCases(): BadInput[] {
  const cases: BadInput[] = [];
  for (const n of [1, 2, 3, 4, 5] as const) {
    for (const [name, data, path] of BAD_DATA[n]) {
      cases.push({ name: `PUT /step/${n}: ${name}`, method: "PUT", url: `/step/${n}`, json: { data }, paths: [path] });
      cases.push({ name: `POST /step/${n}/complete: ${name}`, method: "POST", url: `/step/${n}/complete`, json: { data }, paths: [path] });
    }
    cases.push(
      { name: `PUT /step/${n}: no data`, method: "PUT", url: `/step/${n}`, json: {}, paths: ["data"] },
      { name: `PUT /step/${n}: data null`, method: "PUT", url: `/step/${n}`, json: { data: null }, paths: ["data"] },
      { name: `PUT /step/${n}: data is an array`, method: "PUT", url: `/step/${n}`, json: { data: [validData(n)] }, paths: ["data"] },
      { name: `PUT /step/${n}: unknown key beside data`, method: "PUT", url: `/step/${n}`, json: { data: validData(n), user_id: "x" }, paths: ["user_id"] },
      { name: `POST /step/${n}/complete: data is a string`, method: "POST", url: `/step/${n}/complete`, json: { data: "x" }, paths: ["data"] },
      { name: `POST /step/${n}/complete: unknown key`, method: "POST", url: `/step/${n}/complete`, json: { force: true }, paths: ["force"] },
    );
    for (const [name, raw, code] of WHOLE_BODY_CASES) {
      cases.push({ name: `PUT /step/${n}: ${name}`, method: "PUT", url: `/step/${n}`, raw, code });
      cases.push({ name: `POST /step/${n}/complete: ${name}`, method: "POST", url: `/step/${n}/complete`, raw, code });
    }
    // An empty JSON body is no body (fetch wrappers send one on bodiless POSTs); a route that needs a body refuses its absence.
    cases.push({ name: `PUT /step/${n}: empty body`, method: "PUT", url: `/step/${n}`, raw: "", code: "validation_failed" });
  }
  return cases;
}

function stepNumberCases(): BadInput[] {
  const cases: BadInput[] = [];
  // Only the canonical decimal is a step number: what Number() would also read (01, 0x1, 1e0, +1, " 1") is refused.
  for (const n of ["0", "7", "abc", "1.5", "-1", "1e400", "01", "0x1", "1e0", "+1", "%2B1", "%201", "1%20", "1.0", "%EF%BC%91"]) {
    cases.push(
      { name: `GET /step/${n}`, method: "GET", url: `/step/${n}`, paths: ["n"] },
      { name: `GET /step/${n}/validate`, method: "GET", url: `/step/${n}/validate`, paths: ["n"] },
      { name: `PUT /step/${n}`, method: "PUT", url: `/step/${n}`, json: { data: validData(3) }, paths: ["n"] },
      { name: `POST /step/${n}/complete`, method: "POST", url: `/step/${n}/complete`, paths: ["n"] },
      { name: `POST /step/${n}/skip`, method: "POST", url: `/step/${n}/skip`, paths: ["n"] },
    );
  }
  cases.push(
    { name: "PUT /step/6 (no data of its own)", method: "PUT", url: "/step/6", json: { data: {} }, paths: ["n"] },
    { name: "POST /step/6/complete with data", method: "POST", url: "/step/6/complete", json: { data: { note: "x" } }, paths: ["n"] },
  );
  return cases;
}

function apiKeyCases(): BadInput[] {
  const post = (name: string, json: unknown, path: string): BadInput => ({ name: `POST /api-keys: ${name}`, method: "POST", url: "/api-keys", json, paths: [path] });
  return [
    post("unknown provider", { provider: "nope", api_key: OPENAI_KEY }, "provider"),
    post("provider in capitals", { provider: "OpenAI", api_key: OPENAI_KEY }, "provider"),
    post("provider is a list", { provider: ["openai"], api_key: OPENAI_KEY }, "provider"),
    post("provider missing", { api_key: OPENAI_KEY }, "provider"),
    post("key missing", { provider: "openai" }, "api_key"),
    post("600-char key", { provider: "openai", api_key: LONG_KEY }, "api_key"),
    post("key is a number", { provider: "openai", api_key: 12345678 }, "api_key"),
    post("7-char key", { provider: "openai", api_key: "sk-1234" }, "api_key"),
    post("key nested in an object", { provider: "openai", api_key: { value: OPENAI_KEY } }, "api_key"),
    post("a mask instead of a key", { provider: "openai", api_key: "************9911" }, "api_key"),
    post("unknown key", { provider: "openai", api_key: OPENAI_KEY, user_id: "someone_else" }, "user_id"),
    ...WHOLE_BODY_CASES.map(([name, raw, code]): BadInput => ({ name: `POST /api-keys: ${name}`, method: "POST", url: "/api-keys", raw, code })),
    { name: "POST /api-keys: empty body", method: "POST", url: "/api-keys", raw: "", code: "validation_failed" },
    ...["nope", "OPENAI", "%20", "open%00ai"].map((p): BadInput => ({ name: `DELETE /api-keys/${p}`, method: "DELETE", url: `/api-keys/${p}`, paths: ["provider"] })),
  ];
}

function personaCases(): BadInput[] {
  const url = "/step4/generate-personas";
  const post = (name: string, json: unknown, path: string): BadInput => ({ name: `POST ${url}: ${name}`, method: "POST", url, json, paths: [path] });
  return [
    post("platforms is a string", { selectedPlatforms: "linkedin" }, "selectedPlatforms"),
    post("no platforms", { selectedPlatforms: [] }, "selectedPlatforms"),
    post("11 platforms", { selectedPlatforms: ELEVEN_PLATFORMS }, "selectedPlatforms"),
    post("platform with a space", { selectedPlatforms: ["Linked In"] }, "selectedPlatforms.0"),
    post("unknown key", { platforms: ["linkedin"] }, "platforms"),
    ...WHOLE_BODY_CASES.map(([name, raw, code]): BadInput => ({ name: `POST ${url}: ${name}`, method: "POST", url, raw, code })),
  ];
}

function resetAndTokenCases(): BadInput[] {
  const token = (name: string, json: unknown, path: string): BadInput => ({ name: `POST /api/dev/token: ${name}`, method: "POST", url: "/api/dev/token", json, paths: [path] });
  return [
    ...["hard=maybe", "hard=TRUE", "hard=1", "hard=", "hard=a&hard=b", "hard=true&hard=true", "hard=%20true"].map(
      (query): BadInput => ({ name: `POST /reset?${query}`, method: "POST", url: `/reset?${query}`, paths: ["hard"] }),
    ),
    // A misspelt destructive switch must not fall back to the soft reset.
    ...["HARD=true", "hard_reset=true", "hard=true&force=1"].map(
      (query): BadInput => ({ name: `POST /reset?${query}`, method: "POST", url: `/reset?${query}`, paths: [query.split("&").at(-1)!.split("=")[0]!] }),
    ),
    token("user_id missing", {}, "user_id"),
    token("user_id is a number", { user_id: 42 }, "user_id"),
    token("user_id empty", { user_id: "" }, "user_id"),
    token("300-char user_id", { user_id: "u".repeat(300) }, "user_id"),
    token("user_id with a control character", { user_id: "user\u0000x" }, "user_id"),
    token("unknown key", { user_id: "user_ok", admin: true }, "admin"),
    token("user_id with an unpaired surrogate", { user_id: "user_\ud800" }, "user_id"),
    ...WHOLE_BODY_CASES.map(([name, raw, code]): BadInput => ({ name: `POST /api/dev/token: ${name}`, method: "POST", url: "/api/dev/token", raw, code })),
  ];
}

const CASES: BadInput[] = [...stepCases(), ...stepNumberCases(), ...apiKeyCases(), ...personaCases(), ...resetAndTokenCases()];

describe.each(TEST_DIALECTS)("bad input on %s", (dialect) => {
  let t: TestApp;
  let api: ApiClient;

  beforeAll(async () => {
    t = await openTestApp(dialect, { STORAGE_MODE: "dual" });
    api = await ApiClient.signIn(t.app, "user_2badinput");
    await walkToStepFour(api, "bad");
  });
  afterAll(() => t.close());

  const snapshot = async () => ({ tables: await tableSnapshot(t), progress: (await api.get("/progress")).body });

  it.each(CASES.map((c) => [c.name, c] as const))("%s → 4xx naming the field, nothing saved", async (_name, c) => {
    const before = await snapshot();
    const response = await api.send({
      method: c.method,
      url: c.url,
      ...(c.raw !== undefined ? { payload: c.raw, headers: { "content-type": "application/json" } } : {}),
      ...(c.json !== undefined ? { payload: c.json as object } : {}),
    });
    expectErrorShape(response, c.status ?? 400, c.code);
    const paths = response.body.errors.map((e: { path: string }) => e.path);
    for (const path of c.paths ?? []) expect(paths, response.text).toContain(path);
    expect(await snapshot()).toEqual(before);
  });

  it("refuses JSON nested deeper than anyone needs with 400, not a crash", async () => {
    const before = await snapshot();
    const depth = 20_000;
    const raw = `{"data":{"corePersona":${'{"a":'.repeat(depth)}1${"}".repeat(depth)},"platformPersonas":{},"qualityMetrics":{},"selectedPlatforms":["blog"]}}`;
    const response = await api.send({ method: "PUT", url: "/step/4", payload: raw, headers: { "content-type": "application/json" } });
    expectErrorShape(response, 400);
    expect(await snapshot()).toEqual(before);
  });

  it("refuses prototype pollution in a body with 400", async () => {
    const before = await snapshot();
    const raw = '{"data":{"research_depth":"Basic","content_types":["blog"],"auto_research":true,"factual_content":true,"__proto__":{"admin":true}}}';
    const response = await api.send({ method: "PUT", url: "/step/3", payload: raw, headers: { "content-type": "application/json" } });
    expectErrorShape(response, 400);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
    expect(await snapshot()).toEqual(before);
  });
});
