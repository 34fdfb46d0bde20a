import { describe, expect, it } from "vitest";
import { loadConfig } from "./config.js";
import { ConfigError } from "./config-error.js";

const KEY = Buffer.alloc(32, 7).toString("base64");

function errorOf(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig", () => {
  it("serves SQLite in dual mode on loopback by default, frozen", () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 8080,
      host: "127.0.0.1",
      database: { dialect: "sqlite", path: "./data/onboarding.db" },
      storageMode: "dual",
      progressDir: "./data/progress",
      authMode: "dev",
      localEnvKeys: true,
      websiteFetchAllowPrivate: false,
      logLevel: "info",
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it("reads PostgreSQL URLs and in-memory SQLite", () => {
    expect(loadConfig({ DATABASE_URL: "postgresql://u:p@db:5432/app" }).database).toEqual({ dialect: "postgres", url: "postgresql://u:p@db:5432/app" });
    expect(loadConfig({ DATABASE_URL: "sqlite::memory:" }).database).toEqual({ dialect: "sqlite", path: ":memory:" });
    expect(loadConfig({}).databasePoolMax).toBe(10);
    expect(loadConfig({ DATABASE_POOL_MAX: "40" }).databasePoolMax).toBe(40);
  });

  it.each([
    [{ STORAGE_MODE: "files" }, "STORAGE_MODE", /file \| dual \| database/],
    [{ PORT: "99999" }, "PORT", /99999/],
    [{ DATABASE_URL: "mysql://u:secret@h/db" }, "DATABASE_URL", /sqlite:<path>/],
    [{ AUTH_MODE: "magic" }, "AUTH_MODE", /clerk \| dev/],
    [{ HOST: "0.0.0.0" }, "AUTH_MODE", /non-loopback HOST "0.0.0.0".*AUTH_MODE=clerk/],
    [{ NODE_ENV: "production" }, "AUTH_MODE", /NODE_ENV=production/],
    [{ AUTH_MODE: "clerk", ENCRYPTION_KEY: KEY }, "CLERK_JWT_KEY", /CLERK_JWKS_URL/],
    [{ AUTH_MODE: "clerk", CLERK_JWKS_URL: "https://x/.well-known/jwks.json" }, "ENCRYPTION_KEY", /required/],
    [{ ENCRYPTION_KEY: "c2hvcnQ=" }, "ENCRYPTION_KEY", /32 bytes/],
    [{ ENCRYPTION_KEY: KEY, ENCRYPTION_KEY_PREVIOUS: "c2hvcnQ=" }, "ENCRYPTION_KEY_PREVIOUS", /32 bytes/],
    [{ ENCRYPTION_KEY: KEY, ENCRYPTION_KEY_PREVIOUS: KEY }, "ENCRYPTION_KEY_PREVIOUS", /same key as ENCRYPTION_KEY/],
    [{ ENCRYPTION_KEY_PREVIOUS: KEY }, "ENCRYPTION_KEY_PREVIOUS", /ENCRYPTION_KEY is not/],
    [{ WEBSITE_FETCH_ALLOW_PRIVATE: "maybe" }, "WEBSITE_FETCH_ALLOW_PRIVATE", /true \| false/],
    [{ LLM_BASE_URL: "ftp://x" }, "LLM_BASE_URL", /http/],
    [{ GEMINI_BASE_URL: "not a url" }, "GEMINI_BASE_URL", /is not a URL/],
    [{ ANTHROPIC_BASE_URL: "file:///etc" }, "ANTHROPIC_BASE_URL", /http/],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL", /info/],
    [{ DATABASE_POOL_MAX: "0" }, "DATABASE_POOL_MAX", /whole number from 1 to 1000/],
    [{ DATABASE_POOL_MAX: "ten" }, "DATABASE_POOL_MAX", /whole number/],
    [{ OUTBOUND_DNS_SERVERS: "127.0.0.1:53, dns.example.com" }, "OUTBOUND_DNS_SERVERS", /"dns.example.com" is not an IP address/],
    [{ OUTBOUND_DNS_SERVERS: "127.0.0.1:99999" }, "OUTBOUND_DNS_SERVERS", /ip:port/],
    [{ OUTBOUND_DNS_TIMEOUT_MS: "5s" }, "OUTBOUND_DNS_TIMEOUT_MS", /whole number from 100 to 60000/],
    [{ OUTBOUND_DNS_TIMEOUT_MS: "0" }, "OUTBOUND_DNS_TIMEOUT_MS", /whole number/],
    [{ REQUEST_TIMEOUT_MS: "500" }, "REQUEST_TIMEOUT_MS", /whole number from 1000 to 600000/],
    [{ HEADERS_TIMEOUT_MS: "40000" }, "HEADERS_TIMEOUT_MS", /longer than REQUEST_TIMEOUT_MS \(30000\)/],
    [{ KEEP_ALIVE_TIMEOUT_MS: "1m" }, "KEEP_ALIVE_TIMEOUT_MS", /whole number/],
    [{ METRICS_TOKEN: "short" }, "METRICS_TOKEN", /at least 16 characters/],
    [{ METRICS_TOKEN: "has spaces in it, sixteen+" }, "METRICS_TOKEN", /at least 16 characters/],
    [{ REDIS_URL: "http://127.0.0.1:6379" }, "REDIS_URL", /redis: or rediss:/],
    [{ CLERK_PUBLISHABLE_KEY: "sk_test_abc" }, "CLERK_PUBLISHABLE_KEY", /pk_test_/],
    [{ CLERK_PUBLISHABLE_KEY: `pk_test_${Buffer.from("clerk.example.com").toString("base64")}` }, "CLERK_PUBLISHABLE_KEY", /publishable key/],
    [{ CORS_ORIGINS: "*" }, "CORS_ORIGINS", /wildcard/],
    [{ CORS_ORIGINS: "https://*.example.com" }, "CORS_ORIGINS", /wildcard/],
    [{ CORS_ORIGINS: "https://app.example.com, app.example.com" }, "CORS_ORIGINS", /"app.example.com" is not an origin/],
    [{ CORS_ORIGINS: "https://app.example.com/wizard" }, "CORS_ORIGINS", /write it as https:\/\/app.example.com \(no path/],
    [{ CORS_ORIGINS: "https://app.example.com/" }, "CORS_ORIGINS", /write it as https:\/\/app.example.com /],
    [{ CORS_ORIGINS: "ftp://files.example.com" }, "CORS_ORIGINS", /http: or https:/],
  ])("stops on %j naming %s", (env, variable, message) => {
    const error = errorOf(env as Record<string, string>);
    expect(error.variable).toBe(variable);
    expect(error.message.startsWith(`${variable}:`)).toBe(true);
    expect(error.message).toMatch(message);
  });

  it("sends each provider's keys to its public API and a small model unless told otherwise", () => {
    const defaults = loadConfig({}).modelProviders;
    expect(defaults.gemini.baseUrl.href).toBe("https://generativelanguage.googleapis.com/v1beta");
    expect(defaults.anthropic.baseUrl.href).toBe("https://api.anthropic.com/v1");
    const set = loadConfig({ MISTRAL_BASE_URL: "http://gateway.internal:8080/mistral/v1", MISTRAL_MODEL: "mistral-large-latest" }).modelProviders;
    expect(set.mistral).toEqual({ baseUrl: new URL("http://gateway.internal:8080/mistral/v1"), model: "mistral-large-latest" });
    expect(set.openai).toEqual(defaults.openai);
  });

  it("reads the previous encryption key beside the new one while a rotation runs", () => {
    const previous = Buffer.alloc(32, 9).toString("base64");
    expect(loadConfig({ ENCRYPTION_KEY: KEY, ENCRYPTION_KEY_PREVIOUS: previous })).toMatchObject({ encryptionKey: KEY, encryptionKeyPrevious: previous });
    expect(loadConfig({ ENCRYPTION_KEY: KEY }).encryptionKeyPrevious).toBeUndefined();
  });

  it("reads the DNS servers and deadline of outbound calls, the system's servers by default", () => {
    expect(loadConfig({}).outboundDns).toEqual({ servers: [], timeoutMs: 5_000 });
    expect(loadConfig({ OUTBOUND_DNS_SERVERS: "127.0.0.1:5353, [::1]:53,10.0.0.2", OUTBOUND_DNS_TIMEOUT_MS: "1500" }).outboundDns).toEqual({
      servers: ["127.0.0.1:5353", "[::1]:53", "10.0.0.2"],
      timeoutMs: 1_500,
    });
  });

  it("sets the server's timeouts on purpose, and reads the metrics token and Redis when given", () => {
    const defaults = loadConfig({});
    expect(defaults.http).toEqual({ requestTimeoutMs: 30_000, headersTimeoutMs: 10_000, keepAliveTimeoutMs: 72_000 });
    expect(defaults.metricsToken).toBeUndefined();
    expect(defaults.sharedLimits).toEqual({ redisUrl: undefined, redisKeyPrefix: "onboarding:" });
    const set = loadConfig({ REQUEST_TIMEOUT_MS: "5000", HEADERS_TIMEOUT_MS: "5000", METRICS_TOKEN: "abcdef0123456789", REDIS_URL: "redis://127.0.0.1:6379/2", REDIS_KEY_PREFIX: "t1:" });
    expect(set.http).toMatchObject({ requestTimeoutMs: 5_000, headersTimeoutMs: 5_000 });
    expect(set.metricsToken).toBe("abcdef0123456789");
    expect(set.sharedLimits.redisUrl?.href).toBe("redis://127.0.0.1:6379/2");
    expect(set.sharedLimits.redisKeyPrefix).toBe("t1:");
  });

  it("never echoes a database password", () => {
    expect(errorOf({ DATABASE_URL: "mysql://u:secret@h/db" }).message).not.toContain("secret");
  });

  it("accepts clerk mode with a JWKS URL and a key", () => {
    const config = loadConfig({
      AUTH_MODE: "clerk",
      HOST: "0.0.0.0",
      CLERK_JWKS_URL: "https://clerk.example.com/.well-known/jwks.json",
      CLERK_AUTHORIZED_PARTIES: "https://app.example.com, https://admin.example.com",
      ENCRYPTION_KEY: KEY,
    });
    expect(config.clerk.authorizedParties).toEqual(["https://app.example.com", "https://admin.example.com"]);
    expect(config.clerk.publishableKey).toBeUndefined();
    expect(config.localEnvKeys).toBe(false);
  });

  it("reads the publishable key the web page signs in with", () => {
    const key = `pk_live_${Buffer.from("clerk.example.com$").toString("base64")}`;
    expect(loadConfig({ CLERK_PUBLISHABLE_KEY: key }).clerk.publishableKey).toBe(key);
  });

  it("reads the origins allowed to call the API from a browser, none by default", () => {
    expect(loadConfig({}).corsOrigins).toEqual([]);
    expect(loadConfig({ CORS_ORIGINS: "https://app.example.com, http://127.0.0.1:5173,https://app.example.com" }).corsOrigins).toEqual([
      "https://app.example.com",
      "http://127.0.0.1:5173",
    ]);
  });
});
