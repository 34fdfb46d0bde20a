import { Writable } from "node:stream";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { buildApp } from "../src/app.js";
import { createServices, type Services } from "../src/composition/services.js";
import { loadConfig } from "../src/config/config.js";
import { openDatabase } from "../src/db/database.js";
import { createAuthentication } from "../src/http/authentication.js";
import { createLogger } from "../src/logging/logger.js";
import { ApiClient } from "../src/test-support/api-client.js";
import { sampleStepData, testCipher } from "../src/test-support/sample-steps.js";
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from "../src/test-support/test-database.js";
import type { FastifyInstance } from "fastify";

/**
 * App servers hold no state: two instances, each with its own connection pool to the same
 * database (as behind a load balancer), see one another's writes and make one session per user.
 */
describe.each(TEST_DIALECTS)("two app instances on one %s database", (dialect) => {
  let db: TestDatabase;
  const instances: { app: FastifyInstance; services: Services }[] = [];
  afterEach(async () => {
    for (const { app, services } of instances.splice(0)) {
      await app.close();
      await services.database.close();
    }
    await db.cleanup();
  });

  it("serve one user interchangeably and create exactly one session under racing first writes", async (context) => {
    db = await openTestDatabase(dialect);
    if (db.location === undefined) return context.skip("PGlite lives inside one process; this needs a PostgreSQL server");
    const cipher = testCipher();
    const config = loadConfig({ STORAGE_MODE: "database", LOCAL_ENV_KEYS: "false", DATA_DIR: join(db.tempDir, "data") });
    const authentication = await createAuthentication(config);
    const silent = createLogger("silent", new Writable({ write: (_c, _e, done) => done() }));
    for (let i = 0; i < 2; i++) {
      const database = openDatabase(db.location, db.schema === undefined ? {} : { schema: db.schema });
      const services = await createServices(config, silent, { database, cipher });
      instances.push({ app: await buildApp({ services, authentication }), services });
    }
    const [a, b] = await Promise.all(instances.map(({ app }) => ApiClient.signIn(app, "user_balanced")));

    const racing = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a! : b!).post("/api-keys", { provider: "openai", api_key: `sk-race-${String(i).padStart(6, "0")}` })),
    );
    expect(racing.map((r) => r.status)).toEqual(Array(20).fill(200));
    const sessions = await db.database.kysely.selectFrom("onboarding_sessions").select("id").where("user_id", "=", "user_balanced").execute();
    expect(sessions).toHaveLength(1);

    expect((await a!.post("/step/1/complete")).status).toBe(200);
    expect((await b!.put("/step/2", { data: sampleStepData(2, "lb") })).status).toBe(200);
    const fromA = (await a!.get("/progress")).body;
    const fromB = (await b!.get("/progress")).body;
    expect(fromA).toEqual(fromB);
    expect(fromA.steps[1].data.website).toBe("https://lb.example.com");
  });
});
