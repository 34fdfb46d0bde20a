import { afterEach, describe, expect, it } from "vitest";
import { stepPersistences } from "../composition/step-registry.js";
import { openDatabase, type Database } from "../db/database.js";
import { completeStep, saveStepData } from "../onboarding/step-transitions.js";
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from "../test-support/test-database.js";
import { sampleStepData, sealedKeys, testCipher } from "../test-support/sample-steps.js";
import { DatabaseStore } from "./database-store.js";

/**
 * Statements per operation, counted as the driver runs them: on PostgreSQL each is a round trip.
 * (BEGIN and COMMIT of PostgreSQL's transactions are the driver's own and not counted.)
 */
describe.each(TEST_DIALECTS)("DatabaseStore's statements on %s", (dialect) => {
  let test: TestDatabase;
  let counted: Database | undefined;
  afterEach(async () => {
    await counted?.close();
    await test.cleanup();
  });

  async function countingStore(): Promise<{ store: DatabaseStore; statements: string[] } | null> {
    test = await openTestDatabase(dialect);
    if (test.location === undefined) return null;
    const statements: string[] = [];
    counted = openDatabase(test.location, { ...(test.schema === undefined ? {} : { schema: test.schema }), onStatement: (sql) => statements.push(sql) });
    const store = new DatabaseStore(counted, stepPersistences(testCipher()));
    // SQLite's snapshot statement is built at the first read, from the columns the schema has.
    await store.read("user_nobody");
    statements.length = 0;
    return { store, statements };
  }

  async function onboardedUpToFive(store: DatabaseStore, user: string): Promise<void> {
    const cipher = testCipher();
    await store.update(user, (r, now) => completeStep(r, 1, sealedKeys(cipher, user, { openai: "sk-count-0001" }), () => [], now));
    for (const n of [2, 3, 4, 5] as const) await store.update(user, (r, now) => completeStep(r, n, sampleStepData(n, "count"), () => [], now));
  }

  it("reads a user's whole record (what a summary needs) with one statement and no transaction", async (context) => {
    const opened = await countingStore();
    if (opened === null) return context.skip("PGlite lives inside this process: no driver to count");
    await onboardedUpToFive(opened.store, "user_count");
    opened.statements.length = 0;
    const record = await opened.store.read("user_count");
    expect(record?.steps.map((step) => step.status)).toEqual(["completed", "completed", "completed", "completed", "completed", "pending"]);
    expect(opened.statements).toHaveLength(1);
    expect(opened.statements[0]).toMatch(/^select s\.\*/);
  });

  it("saves a step of an existing user with three statements: lock the session, read the record, write every table", async (context) => {
    const opened = await countingStore();
    if (opened === null) return context.skip("PGlite lives inside this process: no driver to count");
    await onboardedUpToFive(opened.store, "user_count");
    opened.statements.length = 0;
    await opened.store.update("user_count", (r, now) => saveStepData(r, 3, { ...sampleStepData(3, "again"), research_depth: "Expert" }, now));
    // SQLite's own BEGIN IMMEDIATE and COMMIT go through the driver as statements; its writes stay separate statements in-process.
    const work = opened.statements.filter((sql) => !/^(begin|commit|rollback)/i.test(sql));
    if (dialect === "postgres") {
      expect(work).toHaveLength(3);
      expect(work[0]).toMatch(/^select user_id from onboarding_sessions .* for update$/);
      expect(work[1]).toMatch(/^select s\.\*/);
      expect(work[2]).toMatch(/^with w1 as \(insert into "research_preferences"/);
    } else {
      expect(work[0]).toMatch(/^select s\.\*/);
    }
    expect((await opened.store.read("user_count"))?.steps[2]?.data).toMatchObject({ research_depth: "Expert" });
  });

  it("saves a new user's first step with three statements too: the lock finds no session, so nothing is read", async (context) => {
    const opened = await countingStore();
    if (opened === null) return context.skip("PGlite lives inside this process: no driver to count");
    const cipher = testCipher();
    await opened.store.update("user_new", (r, now) => completeStep(r, 1, sealedKeys(cipher, "user_new", { openai: "sk-count-0002" }), () => [], now));
    const work = opened.statements.filter((sql) => !/^(begin|commit|rollback)/i.test(sql));
    if (dialect === "postgres") {
      expect(work).toHaveLength(3);
      expect(work[0]).toMatch(/for update$/);
      expect(work[1]).toMatch(/^insert into "onboarding_sessions"/);
    } else {
      expect(work[0]).toMatch(/^select s\.\*/);
      expect(work[1]).toMatch(/^insert into "onboarding_sessions"/);
    }
  });
});
