import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { ServerCommand } from "./bench-server-process.js";
import type { BenchRoute } from "./http-bench-load.js";
import { closedModelProviders } from "../src/test-support/closed-model-providers.js";

/** A server configuration the bench measures, and where its data lives between rounds. */
export interface BenchTarget {
  readonly name: string;
  readonly command: ServerCommand;
  /** The SQLite file, when there is one (the raw write ceiling runs on it). */
  readonly sqlitePath?: string;
}

export const HELLO_ROUTE: BenchRoute = { name: "hello", method: "GET", path: "/hello", authenticated: false };

const STEP_THREE = JSON.stringify({ data: { research_depth: "Standard", content_types: ["blog", "news"], auto_research: true, factual_content: true } });
const API_KEY = JSON.stringify({ provider: "anthropic", api_key: "sk-ant-bench-0123456789abcdef" });

export const OUR_ROUTES: readonly BenchRoute[] = [
  { name: "GET /summary", method: "GET", path: "/api/onboarding/summary", authenticated: true },
  { name: "GET /status", method: "GET", path: "/api/onboarding/status", authenticated: true },
  { name: "PUT /step/3", method: "PUT", path: "/api/onboarding/step/3", body: STEP_THREE, authenticated: true },
  { name: "POST /api-keys", method: "POST", path: "/api/onboarding/api-keys", body: API_KEY, authenticated: true },
];

export function helloTarget(): BenchTarget {
  return { name: "hello-world", command: { label: "hello-world", args: [fileURLToPath(new URL("./hello-world-server.mjs", import.meta.url))], env: {} } };
}

export interface OurServerOptions {
  readonly name: string;
  readonly databaseUrl: string;
  readonly storageMode: "dual" | "database";
  readonly dir: string;
  /** A local port nothing listens on: a saved key can never make a model call leave this machine. */
  readonly closedLlmPort: number;
  readonly logLevel: string;
}

/** Our server exactly as `npm start` runs it: the built JavaScript, dev auth, one encryption key for all rounds. */
export function ourTarget(options: OurServerOptions, encryptionKey = randomBytes(32).toString("base64")): BenchTarget {
  const serverScript = fileURLToPath(new URL("../dist/server.js", import.meta.url));
  const sqlitePath = options.databaseUrl.startsWith("sqlite:") ? options.databaseUrl.slice("sqlite:".length) : undefined;
  return {
    name: options.name,
    ...(sqlitePath === undefined ? {} : { sqlitePath }),
    command: {
      label: options.name,
      args: [serverScript],
      env: {
        NODE_ENV: "development",
        AUTH_MODE: "dev",
        DATABASE_URL: options.databaseUrl,
        STORAGE_MODE: options.storageMode,
        PROGRESS_DIR: join(options.dir, "progress"),
        DATA_DIR: options.dir,
        ENCRYPTION_KEY: encryptionKey,
        ...closedModelProviders(`http://127.0.0.1:${options.closedLlmPort}/v1`),
        LOCAL_ENV_KEYS: "false",
        LOG_LEVEL: options.logLevel,
      },
    },
  };
}
