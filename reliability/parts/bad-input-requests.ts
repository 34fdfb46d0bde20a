import fc from "fast-check";

/** A request that must be refused (4xx) and change nothing. */
export interface BadRequest {
  readonly kind: string;
  readonly method: string;
  readonly path: string;
  readonly contentType?: string;
  readonly body?: string;
}

const API = "/api/onboarding";
const BODY_LIMIT = 1024 * 1024;

// Values of a JSON type other than the one a field takes.
const notString = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }), fc.constant({ x: 1 }));
const notBoolean = fc.oneof(fc.integer(), fc.string({ maxLength: 5 }), fc.constant(null), fc.constant([]), fc.constant({}));
const notNumber = fc.oneof(fc.string({ maxLength: 5 }), fc.boolean(), fc.constant(null), fc.constant([1]), fc.constant({}));
const notArray = fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.boolean(), fc.constant(null), fc.constant({ 0: "a" }));
const notObject = fc.oneof(fc.string({ maxLength: 5 }), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(["a"]));

/** Text no database may store (NUL, a lone surrogate) or no strict field takes (a bidi override), in the middle of plausible text. */
const poisonedText = fc
  .tuple(fc.string({ minLength: 1, maxLength: 8, unit: fc.constantFrom(..."abcdefghijk0123456789-") }), fc.constantFrom("\u0000", "\ud800", "\udfff", "\u202e", "\u2066"), fc.string({ maxLength: 8, unit: fc.constantFrom(..."xyz789") }))
  .map(([a, poison, b]) => `sk-${a}${poison}${b}-0000`);

const badKey = fc.oneof(
  notString,
  fc.string({ maxLength: 7, unit: fc.constantFrom(..."abcdef123") }),
  fc.constant(`sk-${"k".repeat(510)}`),
  fc.constantFrom("sk-has space-1234", "sk-tab\there-1234", "sk-new\nline-1234", "sk-ümlaut-12345", "****1234"),
  poisonedText,
);
const badUrl = fc.oneof(notString, fc.constantFrom("ftp://example.com", "not a url", "http://", "javascript:alert(1)", "mailto:a@b.c", "", `https://${"a".repeat(2050)}.com`));
const badPlatformName = fc.oneof(notString, fc.constantFrom("LinkedIn", "", "my space", "blog\u202e", "x".repeat(41), "1abc", "-blog"));
const extraKey = fc.oneof(fc.constantFrom("extra", "user_id", "isAdmin", "status", "step"), fc.string({ minLength: 1, maxLength: 6, unit: fc.constantFrom(..."qwrtzp") }).map((s) => `x_${s}`));

const valid = {
  1: () => ({ api_keys: { openai: "sk-valid-key-12345678" } }),
  2: () => ({ website: "https://valid.example.com", analysis: { writing_style: { tone: "plain" } } }),
  3: () => ({ research_depth: "Basic", content_types: ["blog"], auto_research: true, factual_content: false }),
  4: () => ({ corePersona: { name: "p" }, platformPersonas: { blog: {} }, qualityMetrics: { overall: 50 }, selectedPlatforms: ["blog"] }),
  5: () => ({ website_platforms: [], analytics_platforms: [], social_platforms: [] }),
} as const;

type Json = Record<string, unknown>;

const set = (object: Json, key: string, value: unknown): Json => ({ ...object, [key]: value });
const drop = (object: Json, key: string): Json => Object.fromEntries(Object.entries(object).filter(([k]) => k !== key));

/** Invalid `data` for each step: one field broken at a time. */
const badStepData: Record<1 | 2 | 3 | 4 | 5, fc.Arbitrary<unknown>> = {
  1: fc.oneof(
    badKey.map((key) => ({ api_keys: { openai: key } })),
    notObject.map((keys) => ({ api_keys: keys })),
    fc.constantFrom("myllm", "OpenAI", "open ai", "gpt", "openai\u202e").map((provider) => ({ api_keys: { [provider]: "sk-valid-key-12345678" } })),
    extraKey.map((key) => set(valid[1](), key, "x")),
    fc.constant({}),
  ),
  2: fc.oneof(
    badUrl.map((url) => set(valid[2](), "website", url)),
    notObject.map((analysis) => set(valid[2](), "analysis", analysis)),
    fc.constant(drop(valid[2](), "website")),
    extraKey.map((key) => set(valid[2](), key, 1)),
  ),
  3: fc.oneof(
    fc.oneof(notString, fc.constantFrom("basic", "Deep", "Basic\u202e", "", "Expert ")).map((depth) => set(valid[3](), "research_depth", depth)),
    fc.oneof(notArray, fc.constant([]), fc.array(fc.constant("blog"), { minLength: 21, maxLength: 25 }), notString.map((x) => [x]), fc.constantFrom([""], ["   "], ["x".repeat(101)])).map((types) => set(valid[3](), "content_types", types)),
    fc.tuple(fc.constantFrom("auto_research", "factual_content"), notBoolean).map(([key, value]) => set(valid[3](), key, value)),
    fc.constantFrom("research_depth", "content_types", "auto_research", "factual_content").map((key) => drop(valid[3](), key)),
    extraKey.map((key) => set(valid[3](), key, true)),
  ),
  4: fc.oneof(
    fc.oneof(notNumber, fc.double({ min: 100.001, max: 1e6, noNaN: true }), fc.double({ min: -1e6, max: -0.001, noNaN: true })).map((metric) => set(valid[4](), "qualityMetrics", { overall: metric })),
    fc.oneof(notArray, fc.constant([]), fc.array(fc.constant("blog"), { minLength: 11, maxLength: 12 }), badPlatformName.map((name) => [name])).map((list) => set(valid[4](), "selectedPlatforms", list)),
    notObject.map((core) => set(valid[4](), "corePersona", core)),
    badPlatformName.filter((name) => typeof name === "string").map((name) => set(valid[4](), "platformPersonas", { [name as string]: {} })),
    fc.constantFrom("corePersona", "platformPersonas", "qualityMetrics", "selectedPlatforms").map((key) => drop(valid[4](), key)),
    extraKey.map((key) => set(valid[4](), key, {})),
  ),
  5: fc.oneof(
    fc.tuple(fc.constantFrom("website_platforms", "analytics_platforms", "social_platforms"), fc.oneof(notArray, notString.map((x) => [x]), fc.constantFrom([""], ["x".repeat(65)]), fc.array(fc.constant("wp"), { minLength: 21, maxLength: 22 }))).map(([key, value]) => set(valid[5](), key, value)),
    badUrl.filter((url) => url !== null).map((url) => set(valid[5](), "primary_website", url)),
    fc.constantFrom("website_platforms", "analytics_platforms", "social_platforms").map((key) => drop(valid[5](), key)),
    extraKey.map((key) => set(valid[5](), key, [])),
  ),
};

const stepNumber = fc.constantFrom(1, 2, 3, 4, 5);
const json = (kind: string, method: string, path: string, body: unknown): BadRequest => ({ kind, method, path, contentType: "application/json", body: JSON.stringify(body) });

/** Bodies refused for what they hold, on every route that takes one. */
const badBodies: fc.Arbitrary<BadRequest> = fc.oneof(
  stepNumber.chain((n) => badStepData[n].map((data) => json("invalid step data", "PUT", `${API}/step/${n}`, { data }))),
  stepNumber.chain((n) => badStepData[n].map((data) => json("invalid step data", "POST", `${API}/step/${n}/complete`, { data }))),
  stepNumber.chain((n) => fc.oneof(notObject, fc.constant(undefined)).map((data) => json("step body without an object as data", "PUT", `${API}/step/${n}`, data === undefined ? {} : { data }))),
  stepNumber.chain((n) => extraKey.map((key) => json("extra field", "PUT", `${API}/step/${n}`, { data: valid[n](), [key]: 1 }))),
  fc.oneof(
    fc.constantFrom("myllm", "OpenAI", "", "openai\u202e").map((provider) => ({ provider, api_key: "sk-valid-key-12345678" })),
    notString.map((provider) => ({ provider, api_key: "sk-valid-key-12345678" })),
    badKey.map((key) => ({ provider: "gemini", api_key: key })),
    fc.oneof(notString, fc.constant("d".repeat(501))).map((description) => ({ provider: "gemini", api_key: "sk-valid-key-12345678", description })),
    fc.constantFrom({ provider: "gemini" }, { api_key: "sk-valid-key-12345678" }, {}),
    extraKey.map((key) => ({ provider: "gemini", api_key: "sk-valid-key-12345678", [key]: true })),
  ).map((body) => json("invalid key save", "POST", `${API}/api-keys`, body)),
  fc.oneof(badUrl.map((website) => ({ website })), fc.constant({}), extraKey.map((key) => ({ website: "https://valid.example.com", [key]: 1 }))).map((body) => json("invalid website to analyse", "POST", `${API}/website/analyze`, body)),
  fc
    .tuple(
      fc.constantFrom("/step4/generate-personas", "/step4/generate-personas-async"),
      fc.oneof(
        fc.oneof(notArray, fc.constant([]), fc.array(fc.constant("blog"), { minLength: 11, maxLength: 12 }), badPlatformName.map((name) => [name])).map((list) => ({ selectedPlatforms: list })),
        fc.constant({ selectedPlatforms: ["blog"], selected_platforms: ["blog"] }),
        notBoolean.map((force) => ({ force })),
        extraKey.map((key) => ({ [key]: 1 })),
      ),
    )
    .map(([route, body]) => json("invalid persona request", "POST", `${API}${route}`, body)),
);

/** Bodies that are not well-formed JSON, or not JSON at all. */
const malformedBodies: fc.Arbitrary<BadRequest> = fc.oneof(
  fc.tuple(stepNumber, fc.double({ min: 0, max: 0.999, noNaN: true })).map(([n, cut]) => {
    const text = JSON.stringify({ data: valid[n]() });
    return { kind: "truncated JSON", method: "PUT", path: `${API}/step/${n}`, contentType: "application/json", body: text.slice(0, Math.floor(cut * (text.length - 1))) };
  }),
  stepNumber.chain((n) =>
    badStepData[n].map((bad) => ({
      kind: "duplicate keys (the last one invalid)",
      method: "PUT",
      path: `${API}/step/${n}`,
      contentType: "application/json",
      body: `{"data":${JSON.stringify(valid[n]())},"data":${JSON.stringify(bad)}}`,
    })),
  ),
  fc.tuple(stepNumber, fc.integer({ min: 65, max: 1_000 }), fc.boolean()).map(([n, depth, arrays]) => ({
    kind: "deep nesting (65-1,000 levels)",
    method: "PUT",
    path: `${API}/step/${n}`,
    contentType: "application/json",
    body: `{"data":{"nested":${arrays ? "[".repeat(depth) + "]".repeat(depth) : '{"a":'.repeat(depth) + "1" + "}".repeat(depth)}}}`,
  })),
  fc.constantFrom("1e309", "-1e309", "1e400").map((huge) => ({
    kind: "a number beyond double (1e309)",
    method: "PUT",
    path: `${API}/step/4`,
    contentType: "application/json",
    body: JSON.stringify({ data: valid[4]() }).replace('"overall":50', `"overall":${huge}`),
  })),
  fc.constantFrom("\\ud800", "\\udfff", "\\u0000", "a\\udc00b").map((escape) => ({
    kind: "lone surrogate or NUL as a JSON escape",
    method: "PUT",
    path: `${API}/step/4`,
    contentType: "application/json",
    body: JSON.stringify({ data: valid[4]() }).replace('"name":"p"', `"name":"p${escape}"`),
  })),
  fc.constantFrom('{"__proto__":{"isAdmin":true},"data":X}', '{"data":{"__proto__":{"polluted":1},"research_depth":"Basic","content_types":["blog"],"auto_research":true,"factual_content":false}}', '{"data":X,"constructor":{"prototype":{"polluted":1}}}', '{"data":{"constructor":{"prototype":{"x":1}},"research_depth":"Basic","content_types":["blog"],"auto_research":true,"factual_content":false}}').map((template) => ({
    kind: "__proto__ / constructor keys",
    method: "PUT",
    path: `${API}/step/3`,
    contentType: "application/json",
    body: template.replace("X", JSON.stringify(valid[3]())),
  })),
  fc.tuple(stepNumber, fc.constantFrom("text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", "text/html", "application/octet-stream", "image/png")).map(([n, contentType]) => ({
    kind: "wrong content type",
    method: "PUT",
    path: `${API}/step/${n}`,
    contentType,
    body: JSON.stringify({ data: valid[n]() }),
  })),
  fc.tuple(stepNumber, fc.constantFrom("{", "}", "[]", "null", "nul", "tru", '"text"', "{'data': 1}", '{"data": undefined}', "{data:{}}", '{"data":{},}', "\u0000", "<xml/>")).map(([n, body]) => ({
    kind: "not a JSON object",
    method: "PUT",
    path: `${API}/step/${n}`,
    contentType: "application/json",
    body,
  })),
);

/** Strings up to and over the 1 MiB body limit (few: each is a megabyte). */
const hugeBodies: fc.Arbitrary<BadRequest> = fc.integer({ min: BODY_LIMIT - 2_000, max: BODY_LIMIT + 200_000 }).map((size) => {
  const shell = JSON.stringify({ data: { ...valid[3](), content_types: [""] } });
  const filler = "x".repeat(Math.max(0, size - shell.length));
  return { kind: size <= BODY_LIMIT ? "string up to the body limit (1 MiB)" : "string over the body limit (1 MiB)", method: "PUT", path: `${API}/step/3`, contentType: "application/json", body: shell.replace('[""]', `["${filler}"]`) };
});

const badStepSegment = fc.oneof(
  fc.constantFrom("0", "7", "6x", "01", "0x1", "1e0", "+1", "-1", "1.0", "%201", "1%20", "one", "999999999999", "%zz", "%", "NaN", "Infinity", "1,2", "../1", "%2e%2e"),
  fc.string({ minLength: 101, maxLength: 120, unit: fc.constantFrom(..."123") }),
);

/** Paths, queries and methods no route takes. */
const badRoutes: fc.Arbitrary<BadRequest> = fc.oneof(
  fc.tuple(badStepSegment, fc.constantFrom("", "/validate")).map(([n, suffix]) => ({ kind: "bad step number", method: "GET", path: `${API}/step/${n}${suffix}` })),
  badStepSegment.map((n) => json("bad step number", "PUT", `${API}/step/${n}`, { data: valid[3]() })),
  fc.tuple(badStepSegment, fc.constantFrom("complete", "skip")).map(([n, action]) => ({ kind: "bad step number", method: "POST", path: `${API}/step/${n}/${action}` })),
  fc.constantFrom("myllm", "OpenAI", "open%20ai", "%00", "openai%E2%80%AE", "x".repeat(101), "%zz", "openai%2Fgemini").map((provider) => ({ kind: "bad provider in the path", method: "DELETE", path: `${API}/api-keys/${provider}` })),
  fc.constantFrom("not-a-uuid", "00000000-0000-4000-8000-000000000000", "x".repeat(65), "%zz", "..%2f..%2fetc%2fpasswd").map((id) => ({ kind: "bad or unknown task id", method: "GET", path: `${API}/step4/persona-task/${id}` })),
  fc.constantFrom("TRUE", "True", "1", "0", "yes", "", "true&hard=false", "false&hard=false", "tru", "null", "%74rue%20", "true%00").map((hard) => ({ kind: "bad reset parameter", method: "POST", path: `${API}/reset?hard=${hard}` })),
  fc.constantFrom<[string, string]>(
    ["PATCH", "/step/1"],
    ["DELETE", "/step/1"],
    ["DELETE", "/status"],
    ["PUT", "/summary"],
    ["GET", "/complete"],
    ["GET", "/reset"],
    ["POST", "/progress"],
    ["PUT", "/api-keys"],
    ["PATCH", "/api-keys/openai"],
    ["GET", "/step4/generate-personas"],
    ["DELETE", "/step4/persona-latest"],
    ["PUT", "/website/analyze"],
    ["POST", "/step/1"],
    ["PUT", "/step/1/complete"],
    ["GET", "/step/5/skip"],
    ["DELETE", "/init"],
    ["POST", "/research-preferences"],
  ).map(([method, path]) => ({ kind: "wrong method", method, path: `${API}${path}` })),
);

/** Every kind, weighted so that the megabyte bodies stay few. */
export const badRequests: fc.Arbitrary<BadRequest> = fc.oneof(
  { arbitrary: badBodies, weight: 600 },
  { arbitrary: malformedBodies, weight: 300 },
  { arbitrary: badRoutes, weight: 250 },
  { arbitrary: hugeBodies, weight: 1 },
);
