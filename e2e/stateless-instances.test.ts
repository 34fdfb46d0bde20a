import { afterEach, describe, expect, it } from "vitest";
import { ApiClient } from "../src/test-support/api-client.js";
import { startInstances, type AppInstances } from "../src/test-support/app-instances.js";
import { sampleStepData } from "../src/test-support/sample-steps.js";
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from "../src/test-support/test-database.js";

/**
 * App servers hold no state: two instances, each with its own connection pool to the same
 * database (as behind a load balancer), see one another's writes and make one session per user.
 */
describe.each(TEST_DIALECTS)("two app instances on one %s database", (dialect) => {
  let db: TestDatabase;
  let running: AppInstances | undefined;
  afterEach(async () => {
    await running?.close();
    running = undefined;
    await db.cleanup();
  });

  it("serve one user interchangeably and create exactly one session under racing first writes", async (context) => {
    db = await openTestDatabase(dialect);
    if (db.location === undefined) return context.skip("PGlite lives inside one process; this needs a PostgreSQL server");
    running = await startInstances(db, 2);
    const [a, b] = await Promise.all(running.instances.map(({ app }) => ApiClient.signIn(app, "user_balanced")));

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
