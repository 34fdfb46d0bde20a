import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDERS } from "../src/onboarding/providers.js";
import { openTestApp, type TestApp } from "../src/test-support/test-app.js";

/** Every route of SPEC §4, as OpenAPI writes it (the documents do not list themselves). */
const SPEC_ROUTES: readonly (readonly [string, string])[] = [
  ["get", "/healthz"],
  ["get", "/health"],
  ["get", "/readyz"],
  ["post", "/api/dev/token"],
  ...(
    [
      ["get", "/status"],
      ["get", "/progress"],
      ["get", "/init"],
      ["get", "/step/{n}"],
      ["put", "/step/{n}"],
      ["post", "/step/{n}/complete"],
      ["post", "/step/{n}/skip"],
      ["get", "/step/{n}/validate"],
      ["get", "/api-keys"],
      ["post", "/api-keys"],
      ["delete", "/api-keys/{provider}"],
      ["post", "/api-keys/{provider}/check"],
      ["get", "/providers"],
      ["get", "/research-preferences"],
      ["post", "/step4/generate-personas"],
      ["get", "/summary"],
      ["post", "/complete"],
      ["post", "/reset"],
      // The old platform's routes (issue 12)
      ["get", "/health"],
      ["post", "/start"],
      ["get", "/resume"],
      ["get", "/config"],
      ["get", "/api-keys/onboarding"],
      ["post", "/api-keys/validate"],
      ["post", "/step4/generate-personas-async"],
      ["get", "/step4/persona-task/{task_id}"],
      ["get", "/step4/persona-latest"],
    ] as const
  ).map(([method, path]) => [method, `/api/onboarding${path}`] as const),
];

/** Step 2's routes, being added beside this test; checked once src/app.ts registers them. */
const WEBSITE_ROUTES: readonly (readonly [string, string])[] = [
  ["post", "/api/onboarding/website/analyze"],
  ["get", "/api/onboarding/website-analysis"],
];

interface JsonSchema {
  readonly type?: string;
  readonly required?: string[];
  readonly properties?: Record<string, JsonSchema>;
  readonly items?: JsonSchema;
  readonly anyOf?: JsonSchema[];
  readonly enum?: string[];
}

/** An optional body is documented as "object or null": its properties sit in one branch. */
function propertiesOf(schema: JsonSchema | undefined): Record<string, JsonSchema> {
  return schema?.properties ?? schema?.anyOf?.find((branch) => branch.properties !== undefined)?.properties ?? {};
}

interface Operation {
  readonly security?: Record<string, string[]>[];
  readonly parameters?: { name: string; in: string }[];
  readonly requestBody?: { content: Record<string, { schema: JsonSchema }> };
  readonly responses: Record<string, unknown>;
}

describe("OpenAPI", () => {
  let t: TestApp;
  let doc: { openapi: string; paths: Record<string, Record<string, Operation>>; components: { securitySchemes: Record<string, unknown> } };

  beforeAll(async () => {
    t = await openTestApp("sqlite", { STORAGE_MODE: "database" });
    const response = await t.app.inject({ method: "GET", url: "/openapi.json" });
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^application\/json/);
    doc = response.json();
  });
  afterAll(() => t.close());

  const missingFrom = (routes: readonly (readonly [string, string])[]) => {
    const listed = Object.entries(doc.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method} ${path}`));
    return routes.map(([method, path]) => `${method} ${path}`).filter((route) => !listed.includes(route));
  };

  it("is OpenAPI 3 listing every route of SPEC §4 with its method", () => {
    expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(missingFrom(SPEC_ROUTES)).toEqual([]);
  });

  it("lists the website analysis routes", () => {
    expect(missingFrom(WEBSITE_ROUTES)).toEqual([]);
  });

  it("says every /api/onboarding operation needs the bearer token, and documents its 401", () => {
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: "http", scheme: "bearer" });
    for (const [path, operations] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(operations)) {
        if (!path.startsWith("/api/onboarding/")) {
          expect(operation.security ?? [], `${method} ${path}`).toEqual([]);
          continue;
        }
        expect(operation.security, `${method} ${path}`).toEqual([{ bearer: [] }]);
        expect(Object.keys(operation.responses), `${method} ${path}`).toContain("401");
      }
    }
  });

  it("describes inputs with the schemas that validate them", () => {
    const saveKey = doc.paths["/api/onboarding/api-keys"]?.post?.requestBody?.content["application/json"]?.schema;
    expect(saveKey?.required?.sort()).toEqual(["api_key", "provider"]);
    expect(saveKey?.properties?.provider?.enum).toEqual([...PROVIDERS]);
    expect(doc.paths["/api/onboarding/step/{n}"]?.put?.parameters).toContainEqual(expect.objectContaining({ name: "n", in: "path" }));
    expect(doc.paths["/api/onboarding/reset"]?.post?.parameters).toContainEqual(expect.objectContaining({ name: "hard", in: "query" }));
    expect(doc.paths["/api/onboarding/step4/generate-personas"]?.post?.responses).toHaveProperty("429");
  });

  it("documents the old platform's request fields and answers (issue 12)", () => {
    const body = (path: string, method: string) => doc.paths[`/api/onboarding${path}`]?.[method]?.requestBody?.content["application/json"]?.schema;
    const answer = (path: string, method = "get", status = "200") =>
      (doc.paths[`/api/onboarding${path}`]?.[method]?.responses[status] as { content: Record<string, { schema: JsonSchema }> } | undefined)?.content["application/json"]?.schema;
    expect(Object.keys(body("/step/{n}", "put")?.properties ?? {})).toEqual(["data", "validation_errors"]);
    expect(Object.keys(propertiesOf(body("/step/{n}/complete", "post")))).toEqual(["data", "validation_errors"]);
    expect(Object.keys(body("/api-keys", "post")?.properties ?? {})).toEqual(["provider", "api_key", "description"]);
    for (const generate of ["/step4/generate-personas", "/step4/generate-personas-async"]) {
      expect(Object.keys(propertiesOf(body(generate, "post")))).toEqual(["selectedPlatforms", "selected_platforms", "onboarding_data", "user_preferences", "force"]);
    }
    expect(answer("/api-keys")?.properties?.configured_providers).toMatchObject({ type: "array" });
    expect(Object.keys(answer("/summary")?.properties ?? {})).toEqual(
      expect.arrayContaining(["personalization_settings", "configuration_and_capabilities", "onboarding_type", "persona_readiness"]),
    );
    expect(Object.keys(answer("/summary")?.properties?.persona_readiness?.properties ?? {})).toEqual(["ready", "reason", "missing_data"]);
    expect(Object.keys(answer("/init")?.properties ?? {})).toEqual(["user", "onboarding", "session"]);
    expect(answer("/init")?.properties?.onboarding?.properties?.steps?.items?.required).toContain("has_data");
    expect(Object.keys(answer("/step4/persona-task/{task_id}")?.properties ?? {})).toEqual(
      expect.arrayContaining(["task_id", "status", "progress", "progress_messages", "result", "error", "created_at", "updated_at"]),
    );
    expect(answer("/step4/generate-personas-async", "post", "202")?.required).toEqual(["task_id", "status", "message"]);
    expect(doc.paths["/api/onboarding/step4/persona-task/{task_id}"]?.get?.responses).toHaveProperty("404");
    expect(Object.keys(answer("/resume")?.properties ?? {})).toEqual(expect.arrayContaining(["resume_step", "current_step", "is_completed"]));
    expect(Object.keys(answer("/config")?.properties ?? {})).toEqual(expect.arrayContaining(["steps", "providers", "provider_groups", "limits"]));
    expect(Object.keys(answer("/api-keys/validate", "post")?.properties ?? {})).toEqual(
      expect.arrayContaining(["validation_results", "all_valid", "missing_keys"]),
    );
  });

  it("resolves every $ref inside the document", () => {
    const refs = new Set<string>();
    JSON.stringify(doc, (key, value: unknown) => {
      if (key === "$ref") refs.add(String(value));
      return value;
    });
    const resolves = (ref: string) => ref.startsWith("#/") && ref.slice(2).split("/").reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], doc) !== undefined;
    expect(refs.size).toBeGreaterThan(0);
    expect([...refs].filter((ref) => !resolves(ref))).toEqual([]);
  });

  it("documents the five step payloads for PUT /step/{n}", () => {
    const body = doc.paths["/api/onboarding/step/{n}"]?.put?.requestBody?.content["application/json"]?.schema as unknown as {
      properties: { data: { anyOf: { title: string; properties: Record<string, unknown> }[] } };
    };
    const payloads = body.properties.data.anyOf;
    expect(payloads.map((payload) => payload.title)).toEqual([
      "Step 1: AI LLM Providers",
      "Step 2: Website Analysis",
      "Step 3: AI Research",
      "Step 4: Personalization",
      "Step 5: Integrations",
    ]);
    expect(Object.keys(payloads[2]?.properties ?? {})).toEqual(["research_depth", "content_types", "auto_research", "factual_content"]);
  });

  it("serves the docs as HTML", async () => {
    let response = await t.app.inject({ method: "GET", url: "/docs" });
    for (let hops = 0; hops < 3 && response.statusCode >= 300 && response.statusCode < 400; hops++) {
      response = await t.app.inject({ method: "GET", url: new URL(String(response.headers.location), "http://localhost/docs/").pathname });
    }
    expect(response.statusCode).toBe(200);
    expect(response.headers["content-type"]).toMatch(/^text\/html/);
    expect(response.body).toMatch(/swagger/i);
  });
});
