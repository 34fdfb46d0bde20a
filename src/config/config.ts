import { ConfigError } from "./config-error.js";
import { readCorsOrigins } from "./cors-origins.js";
import { DEFAULT_DNS_TIMEOUT_MS } from "../net/outbound-resolver.js";
import { parseDatabaseUrl, type DatabaseLocation } from "./database-location.js";
import { readModelProviderSettings, type ModelProviderSettings } from "./model-provider-settings.js";
import { readBoolean, readDnsServers, readEnum, readInteger, readList, readPort, readString, readUrl, type Env } from "./env-readers.js";

export const STORAGE_MODES = ["file", "dual", "database"] as const;
export type StorageMode = (typeof STORAGE_MODES)[number];

export const AUTH_MODES = ["clerk", "dev"] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** What verifying a Clerk session token needs. */
export interface ClerkVerification {
  readonly jwtKey: string | undefined;
  readonly jwksUrl: URL | undefined;
  readonly issuer: string | undefined;
  readonly authorizedParties: readonly string[];
}

export interface ClerkConfig extends ClerkVerification {
  /** For the web page's Clerk sign-in (public by design: it names the Clerk instance, it grants nothing). */
  readonly publishableKey: string | undefined;
}

export interface LlmConfig {
  readonly baseUrl: URL | undefined;
  readonly apiKey: string | undefined;
  readonly model: string | undefined;
}

/** DNS of the calls made on users' behalf (model providers, analysed websites): off the threadpool. */
export interface OutboundDnsConfig {
  /** Empty: the system's servers (resolv.conf). */
  readonly servers: readonly string[];
  readonly timeoutMs: number;
}

/** The HTTP server's own limits on slow or idle clients (decision 0011). */
export interface HttpTimeouts {
  /** The whole request (headers and body) must arrive within this; past it: 408, connection closed. */
  readonly requestTimeoutMs: number;
  /** The headers must arrive within this (at most requestTimeoutMs). */
  readonly headersTimeoutMs: number;
  /** An idle keep-alive connection is closed after this; longer than a load balancer's idle timeout. */
  readonly keepAliveTimeoutMs: number;
}

/** Where the per-user limits of expensive work live across instances (decision 0012). */
export interface SharedLimitsConfig {
  /** Redis when set; otherwise the database. */
  readonly redisUrl: URL | undefined;
  /** Put before every Redis key, so that several deployments (or test runs) can share one Redis. */
  readonly redisKeyPrefix: string;
}

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly database: DatabaseLocation;
  /** PostgreSQL only: connections this instance keeps at most (all instances together must stay under the server's max_connections). */
  readonly databasePoolMax: number;
  readonly storageMode: StorageMode;
  readonly progressDir: string;
  /** Where dev-mode generated secrets live; never used for user data. */
  readonly dataDir: string;
  readonly authMode: AuthMode;
  readonly clerk: ClerkConfig;
  /** Base64 of 32 bytes; undefined only in dev auth mode, where one is generated into `dataDir`. */
  readonly encryptionKey: string | undefined;
  /** During a key rotation only: the key being replaced, still read, never used to seal. */
  readonly encryptionKeyPrevious: string | undefined;
  readonly llm: LlmConfig;
  /** Where a user's own key of each provider is sent and which model it asks (SPEC §2, §6). */
  readonly modelProviders: ModelProviderSettings;
  readonly outboundDns: OutboundDnsConfig;
  readonly websiteFetchAllowPrivate: boolean;
  readonly localEnvKeys: boolean;
  readonly logLevel: LogLevel;
  readonly isProduction: boolean;
  readonly http: HttpTimeouts;
  /** Bearer token GET /metrics requires; without one only loopback callers may read it. */
  readonly metricsToken: string | undefined;
  readonly sharedLimits: SharedLimitsConfig;
  /** Origins whose pages may call the API from a browser (CORS); empty: same origin only. */
  readonly corsOrigins: readonly string[];
}

/** Parses the environment once; throws ConfigError naming the first bad variable. */
export function loadConfig(env: Env = process.env): Config {
  const isProduction = readString(env, "NODE_ENV") === "production";
  const host = readString(env, "HOST") ?? "127.0.0.1";
  const authMode = readEnum(env, "AUTH_MODE", AUTH_MODES, "dev");
  if (authMode === "dev") refuseDevAuthWhereUnsafe(host, isProduction);
  const clerk = readClerk(env);
  if (authMode === "clerk" && clerk.jwtKey === undefined && clerk.jwksUrl === undefined) {
    throw new ConfigError("CLERK_JWT_KEY", "AUTH_MODE=clerk needs CLERK_JWT_KEY (PEM public key) or CLERK_JWKS_URL");
  }
  const encryptionKey = readEncryptionKey(env, authMode);
  const encryptionKeyPrevious = readPreviousEncryptionKey(env, encryptionKey);

  return Object.freeze({
    port: readPort(env, "PORT", 8080),
    host,
    database: parseDatabaseUrl(readString(env, "DATABASE_URL") ?? "sqlite:./data/onboarding.db"),
    databasePoolMax: readInteger(env, "DATABASE_POOL_MAX", 10, { min: 1, max: 1_000 }),
    storageMode: readEnum(env, "STORAGE_MODE", STORAGE_MODES, "dual"),
    progressDir: readString(env, "PROGRESS_DIR") ?? "./data/progress",
    dataDir: readString(env, "DATA_DIR") ?? "./data",
    authMode,
    clerk,
    encryptionKey,
    encryptionKeyPrevious,
    llm: Object.freeze({
      baseUrl: readUrl(env, "LLM_BASE_URL", ["http:", "https:"]),
      apiKey: readString(env, "LLM_API_KEY"),
      model: readString(env, "LLM_MODEL"),
    }),
    modelProviders: readModelProviderSettings(env),
    outboundDns: Object.freeze({
      servers: Object.freeze(readDnsServers(env, "OUTBOUND_DNS_SERVERS")),
      timeoutMs: readInteger(env, "OUTBOUND_DNS_TIMEOUT_MS", DEFAULT_DNS_TIMEOUT_MS, { min: 100, max: 60_000 }),
    }),
    websiteFetchAllowPrivate: readBoolean(env, "WEBSITE_FETCH_ALLOW_PRIVATE", false),
    localEnvKeys: readBoolean(env, "LOCAL_ENV_KEYS", authMode === "dev"),
    logLevel: readEnum(env, "LOG_LEVEL", LOG_LEVELS, "info"),
    isProduction,
    http: readHttpTimeouts(env),
    metricsToken: readMetricsToken(env),
    sharedLimits: Object.freeze({
      redisUrl: readUrl(env, "REDIS_URL", ["redis:", "rediss:"]),
      redisKeyPrefix: readString(env, "REDIS_KEY_PREFIX") ?? "onboarding:",
    }),
    corsOrigins: readCorsOrigins(env),
  });
}

function readHttpTimeouts(env: Env): HttpTimeouts {
  const requestTimeoutMs = readInteger(env, "REQUEST_TIMEOUT_MS", 30_000, { min: 1_000, max: 600_000 });
  const headersTimeoutMs = readInteger(env, "HEADERS_TIMEOUT_MS", 10_000, { min: 1_000, max: 600_000 });
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new ConfigError("HEADERS_TIMEOUT_MS", `${headersTimeoutMs} is longer than REQUEST_TIMEOUT_MS (${requestTimeoutMs}), which includes the headers`);
  }
  return Object.freeze({
    requestTimeoutMs,
    headersTimeoutMs,
    keepAliveTimeoutMs: readInteger(env, "KEEP_ALIVE_TIMEOUT_MS", 72_000, { min: 1_000, max: 600_000 }),
  });
}

function readMetricsToken(env: Env): string | undefined {
  const token = readString(env, "METRICS_TOKEN");
  if (token !== undefined && !/^[A-Za-z0-9\-._~+/]{16,}=*$/.test(token)) {
    throw new ConfigError("METRICS_TOKEN", "must be at least 16 characters of A-Z a-z 0-9 - . _ ~ + / (what a bearer token may hold), e.g. `openssl rand -hex 32`");
  }
  return token;
}

const DEV_AUTH_HELP =
  "AUTH_MODE=dev lets anyone mint any user's token. Set AUTH_MODE=clerk with CLERK_JWT_KEY " +
  "(your Clerk instance's PEM public key) or CLERK_JWKS_URL, and optionally CLERK_ISSUER and CLERK_AUTHORIZED_PARTIES.";

function refuseDevAuthWhereUnsafe(host: string, isProduction: boolean): void {
  if (isProduction) throw new ConfigError("AUTH_MODE", `dev is refused when NODE_ENV=production. ${DEV_AUTH_HELP}`);
  if (!isLoopbackHost(host)) {
    throw new ConfigError("AUTH_MODE", `dev is refused on the non-loopback HOST "${host}". ${DEV_AUTH_HELP}`);
  }
}

function isLoopbackHost(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
}

function readClerk(env: Env): ClerkConfig {
  const jwtKey = readString(env, "CLERK_JWT_KEY")?.replace(/\\n/g, "\n");
  if (jwtKey !== undefined && !jwtKey.includes("-----BEGIN PUBLIC KEY-----")) {
    throw new ConfigError("CLERK_JWT_KEY", "is not a PEM public key (-----BEGIN PUBLIC KEY----- …)");
  }
  return Object.freeze({
    publishableKey: readPublishableKey(env),
    jwtKey,
    jwksUrl: readUrl(env, "CLERK_JWKS_URL", ["http:", "https:"]),
    issuer: readString(env, "CLERK_ISSUER"),
    authorizedParties: Object.freeze(readList(env, "CLERK_AUTHORIZED_PARTIES")),
  });
}

/** Clerk's format: pk_test_ or pk_live_, then base64 of the instance's Frontend API host followed by "$". */
function readPublishableKey(env: Env): string | undefined {
  const value = readString(env, "CLERK_PUBLISHABLE_KEY");
  if (value === undefined) return undefined;
  const encoded = /^pk_(?:test|live)_([A-Za-z0-9+/]+={0,2})$/.exec(value)?.[1];
  if (encoded === undefined || !Buffer.from(encoded, "base64").toString("utf8").endsWith("$")) {
    throw new ConfigError("CLERK_PUBLISHABLE_KEY", "is not a Clerk publishable key (pk_test_… or pk_live_…, from the API keys page of the Clerk dashboard)");
  }
  return value;
}

function readEncryptionKey(env: Env, authMode: AuthMode): string | undefined {
  const value = readString(env, "ENCRYPTION_KEY");
  if (value === undefined) {
    if (authMode === "dev") return undefined;
    throw new ConfigError(
      "ENCRYPTION_KEY",
      "is required outside dev mode: base64 of 32 random bytes, e.g. `openssl rand -base64 32`",
    );
  }
  return checkedKey("ENCRYPTION_KEY", value);
}

/** Set only while a rotation runs: the old key, beside the new one in ENCRYPTION_KEY. */
function readPreviousEncryptionKey(env: Env, encryptionKey: string | undefined): string | undefined {
  const value = readString(env, "ENCRYPTION_KEY_PREVIOUS");
  if (value === undefined) return undefined;
  if (encryptionKey === undefined) {
    throw new ConfigError("ENCRYPTION_KEY_PREVIOUS", "is set but ENCRYPTION_KEY is not: a rotation needs the new key in ENCRYPTION_KEY");
  }
  checkedKey("ENCRYPTION_KEY_PREVIOUS", value);
  if (Buffer.from(value, "base64").equals(Buffer.from(encryptionKey, "base64"))) {
    throw new ConfigError("ENCRYPTION_KEY_PREVIOUS", "is the same key as ENCRYPTION_KEY: put the new key in ENCRYPTION_KEY and the old one here");
  }
  return value;
}

function checkedKey(variable: string, value: string): string {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value) || Buffer.from(value, "base64").length !== 32) {
    throw new ConfigError(variable, "must be base64 of exactly 32 bytes (`openssl rand -base64 32`)");
  }
  return value;
}
