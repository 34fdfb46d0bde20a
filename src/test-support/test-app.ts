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
import { CLOSED_LOCAL_LLM, closedModelProviders } from "./closed-model-providers.js";

export { CLOSED_LOCAL_LLM, closedModelProviders };

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
    ...closedModelProviders(),
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
