import { Writable } from "node:stream";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { buildApp, type AppOptions } from "../app.js";
import { createServices, type Services } from "../composition/services.js";
import { loadConfig } from "../config/config.js";
import { openDatabase } from "../db/database.js";
import { createAuthentication } from "../http/authentication.js";
import { createLogger } from "../logging/logger.js";
import { testCipher } from "./sample-steps.js";
import { closedModelProviders } from "./closed-model-providers.js";
import type { TestDatabase } from "./test-database.js";

export interface AppInstance {
  readonly app: FastifyInstance;
  readonly services: Services;
}

export interface AppInstances {
  readonly instances: readonly AppInstance[];
  close(): Promise<void>;
}

/**
 * App instances as behind a load balancer: each with its own connection pool to the one test
 * database, all accepting the same tokens and sealing keys alike. `env` overrides the
 * configuration (database mode by default); `options(i)` adds app options per instance.
 */
export async function startInstances(
  db: TestDatabase,
  count: number,
  env: Record<string, string> = {},
  options: (index: number, services: Services) => Partial<AppOptions> = () => ({}),
): Promise<AppInstances> {
  const location = db.location;
  if (location === undefined) throw new Error("PGlite lives inside one process; instances need a database server or a file");
  const config = loadConfig({ STORAGE_MODE: "database", LOCAL_ENV_KEYS: "false", DATA_DIR: join(db.tempDir, "data"), ...closedModelProviders(), ...env });
  const cipher = testCipher();
  const authentication = await createAuthentication(config);
  const silent = createLogger("silent", new Writable({ write: (_chunk, _encoding, done) => done() }));
  const instances: AppInstance[] = [];
  for (let index = 0; index < count; index++) {
    const database = openDatabase(location, db.schema === undefined ? {} : { schema: db.schema });
    const services = await createServices(config, silent, { database, cipher });
    instances.push({ app: await buildApp({ services, authentication, ...options(index, services) }), services });
  }
  return {
    instances,
    close: async () => {
      for (const { app, services } of instances) {
        await app.close();
        await services.database.close();
      }
    },
  };
}
