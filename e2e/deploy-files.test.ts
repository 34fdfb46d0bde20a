import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { WEB_BUILD_VARIABLES } from "../web/vite.config.js";
import { loadConfig } from "../src/config/config.js";
import { ConfigError } from "../src/config/config-error.js";
import { configVariables } from "../src/config/config-variables.js";
import { clerkIdentity } from "../src/test-support/clerk-identity.js";
import { openTestApp, type TestApp } from "../src/test-support/test-app.js";

/**
 * The files users deploy with (SPEC §11), read as their tools read them: every variable they set
 * is one our configuration (or the page's build) reads, and what they set is accepted by it.
 */
const CONFIG_VARIABLES = configVariables();
const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), "utf8");

/** The ENV of the Dockerfile's last stage (the image that runs), `KEY=value` pairs across continued lines. */
function runtimeStage(dockerfile: string): { env: Record<string, string>; lines: string[] } {
  const joined = dockerfile.replace(/\\\n/g, " ").split("\n").map((line) => line.trim()).filter((line) => line !== "" && !line.startsWith("#"));
  const lines = joined.slice(joined.findLastIndex((line) => /^FROM\s/i.test(line)));
  const env: Record<string, string> = {};
  for (const line of lines.filter((l) => /^ENV\s/i.test(l))) {
    for (const [, key = "", value = ""] of line.slice(4).matchAll(/([A-Za-z_][A-Za-z0-9_]*)=(\S*)/g)) env[key] = value;
  }
  return { env, lines };
}

/** Compose's `${NAME}`, `${NAME:-default}` and `${NAME:?error}` against `values` (a missing required one throws, as compose does). */
function interpolate(value: string, values: Readonly<Record<string, string>>): string {
  return value.replace(/\$\{([A-Z0-9_]+)(?::([-?])([^}]*))?\}/g, (_all, name: string, kind?: string, rest?: string) => {
    const given = values[name];
    if (given !== undefined && given !== "") return given;
    if (kind === "?") throw new Error(`${name}: ${rest}`);
    return kind === "-" ? (rest ?? "") : "";
  });
}

function expectReadByConfig(names: readonly string[], file: string): void {
  expect(names.length, `${file} sets variables`).toBeGreaterThan(0);
  expect(names.filter((name) => !CONFIG_VARIABLES.has(name)), `${file}: variables our config does not read`).toEqual([]);
}

describe("the deploy files", () => {
  let secrets: Record<string, string>;
  let t: TestApp;
  beforeAll(async () => {
    const identity = await clerkIdentity();
    secrets = { ENCRYPTION_KEY: identity.env.ENCRYPTION_KEY, CLERK_JWT_KEY: identity.env.CLERK_JWT_KEY };
    t = await openTestApp("sqlite");
  });
  afterAll(() => t.close());

  it("finds the configuration's variables by reading them", () => {
    for (const name of ["PORT", "HOST", "NODE_ENV", "DATABASE_URL", "STORAGE_MODE", "ENCRYPTION_KEY", "CLERK_JWT_KEY", "CORS_ORIGINS", "REDIS_URL"]) {
      expect(CONFIG_VARIABLES.has(name), name).toBe(true);
    }
    expect(CONFIG_VARIABLES.has("STORAGE_MODES")).toBe(false);
  });

  it("Dockerfile: multi-stage on the official Node image by default, non-root, node dist/server.js, a health check; its ENV is read and accepted", () => {
    const dockerfile = read("Dockerfile");
    expect(dockerfile).toMatch(/^ARG BASE_IMAGE=node:24-slim$/m);
    expect(dockerfile.match(/^FROM \$\{BASE_IMAGE\} AS \w+$/gm)?.length).toBe(2);
    const { env, lines } = runtimeStage(dockerfile);
    expectReadByConfig(Object.keys(env), "Dockerfile");
    expect(lines).toContain('CMD ["node", "dist/server.js"]');
    const user = lines.find((line) => line.startsWith("USER "))?.slice(5);
    expect(user).toMatch(/^[1-9]\d*(:\d+)?$/);
    expect(lines.find((line) => line.startsWith("HEALTHCHECK "))).toContain('CMD ["node", "scripts/healthcheck.mjs"]');
    expect(read("scripts/healthcheck.mjs")).toContain("/healthz");
    // The image's own settings stand, with the deployment's secrets added; without them it stops naming one.
    expect(loadConfig({ ...env, ...secrets, DATABASE_URL: "postgres://u@db/app" })).toMatchObject({ host: "0.0.0.0", authMode: "clerk", storageMode: "database", isProduction: true });
    expect(() => loadConfig({ ...env, CLERK_JWT_KEY: secrets.CLERK_JWT_KEY })).toThrow(ConfigError);
  });

  it("compose.yaml: PostgreSQL, Redis, two instances in database mode on one database, every service health-checked", () => {
    const compose = parse(read("compose.yaml"), { merge: true }) as {
      services: Record<string, { build?: string; image?: string; environment?: Record<string, string>; healthcheck?: { test: string[] }; depends_on?: Record<string, { condition: string }> }>;
    };
    const services = Object.entries(compose.services);
    expect(services.every(([, service]) => (service.healthcheck?.test.length ?? 0) > 1)).toBe(true);
    const instances = services.filter(([, service]) => service.build === ".");
    expect(instances.map(([name]) => name)).toEqual(["app-1", "app-2"]);
    const imageEnv = runtimeStage(read("Dockerfile")).env;
    const databases = new Set<string>();
    for (const [name, service] of instances) {
      const environment = service.environment ?? {};
      expectReadByConfig(Object.keys(environment), `compose.yaml ${name}`);
      expect(service.depends_on).toEqual({ postgres: { condition: "service_healthy" }, redis: { condition: "service_healthy" } });
      const env = Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, interpolate(String(value), secrets)]));
      const config = loadConfig({ ...imageEnv, ...env });
      expect(config.storageMode).toBe("database");
      expect(config.database.dialect).toBe("postgres");
      expect(config.sharedLimits.redisUrl?.host).toBe("redis:6379");
      databases.add(env.DATABASE_URL ?? "");
      expect(() => interpolate(String(environment.ENCRYPTION_KEY), {})).toThrow(/ENCRYPTION_KEY/);
    }
    expect([...databases]).toEqual(["postgres://onboarding:onboarding@postgres:5432/onboarding"]);
    expect(compose.services.postgres?.environment).toMatchObject({ POSTGRES_USER: "onboarding", POSTGRES_DB: "onboarding" });
  });

  it("render.yaml: a web service from the Dockerfile on a Render PostgreSQL, database mode, secrets un-synced, a health check the server answers", async () => {
    const render = parse(read("render.yaml")) as {
      services: { type: string; name: string; runtime: string; healthCheckPath: string; envVars: { key: string; value?: string; sync?: boolean; fromDatabase?: { name: string; property: string } }[] }[];
      databases: { name: string }[];
    };
    expect(render.services).toHaveLength(1);
    const [web] = render.services;
    expect(web).toMatchObject({ type: "web", runtime: "docker" });
    expectReadByConfig(web?.envVars.map((v) => v.key) ?? [], "render.yaml");
    const byKey = new Map(web?.envVars.map((v) => [v.key, v]));
    expect(byKey.get("STORAGE_MODE")?.value).toBe("database");
    for (const secret of ["ENCRYPTION_KEY", "CLERK_JWT_KEY"]) expect(byKey.get(secret), secret).toEqual({ key: secret, sync: false });
    expect(web?.envVars.filter((v) => v.value !== undefined && /KEY|SECRET|TOKEN|PASSWORD/.test(v.key))).toEqual([]);
    expect(byKey.get("DATABASE_URL")?.fromDatabase).toEqual({ name: render.databases[0]?.name, property: "connectionString" });
    expect((await t.app.inject({ method: "GET", url: web?.healthCheckPath ?? "" })).statusCode).toBe(200);
  });

  it("vercel.json: the page alone, built with VITE_API_BASE_URL pointing at the Render service, every route to the page", () => {
    const vercel = JSON.parse(read("vercel.json")) as { buildCommand: string; outputDirectory: string; build: { env: Record<string, string> }; rewrites: { source: string; destination: string }[] };
    const names = Object.keys(vercel.build.env);
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((name) => !(WEB_BUILD_VARIABLES as readonly string[]).includes(name))).toEqual([]);
    expect(vercel.buildCommand).toContain("--config web/vite.config.ts");
    expect(vercel.outputDirectory).toBe("dist/web");
    expect(vercel.rewrites).toEqual([{ source: "/(.*)", destination: "/index.html" }]);
    const renderName = (parse(read("render.yaml")) as { services: { name: string }[] }).services[0]?.name;
    expect(vercel.build.env.VITE_API_BASE_URL).toBe(`https://${renderName}.onrender.com`);
  });
});
