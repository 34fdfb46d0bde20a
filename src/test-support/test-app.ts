import { Writable } from "node:stream";
import type { FastifyInstance } from "fastify";
import { buildApp, type AppOptions } from "../app.js";
import { createServices, type Services } from "../composition/services.js";
import { loadConfig } from "../config/config.js";
import { createLogger } from "../logging/logger.js";
import { testCipher } from "./sample-steps.js";
import { openTestDatabase, type TestDatabase } from "./test-database.js";
import type { SqlDialect } from "../db/database.js";
import { join } from "node:path";

/**
 * Where a model call goes unless a test points LLM_BASE_URL at its own server: a closed local
 * port (9, discard), so that a user's saved OpenAI key never sends a request off this machine.
 */
export const CLOSED_LOCAL_LLM = "http://127.0.0.1:9/v1";

export interface TestApp {
  readonly app: FastifyInstance;
  readonly services: Services;
  readonly db: TestDatabase;
  /** Every log line the app wrote, as text, for redaction checks. */
  readonly logs: string[];
  close(): Promise<void>;
}

/** The real app on a fresh test database, its logs captured; `env` overrides the configuration. */
export async function openTestApp(
  dialect: SqlDialect,
  env: Record<string, string> = {},
  appOptions: Omit<AppOptions, "services"> = {},
): Promise<TestApp> {
  const db = await openTestDatabase(dialect);
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(chunk.toString("utf8"));
      done();
    },
  });
  const config = loadConfig({
    PROGRESS_DIR: join(db.tempDir, "progress"),
    DATA_DIR: join(db.tempDir, "data"),
    LOCAL_ENV_KEYS: "false",
    LLM_BASE_URL: CLOSED_LOCAL_LLM,
    ...env,
  });
  const services = await createServices(config, createLogger("info", sink), { database: db.database, cipher: testCipher() });
  const app = await buildApp({ services, ...appOptions });
  await app.ready();
  return {
    app,
    services,
    db,
    logs,
    close: async () => {
      await app.close();
      await services.close();
      await db.cleanup();
    },
  };
}
