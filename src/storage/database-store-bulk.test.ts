import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { stepPersistences } from "../composition/step-registry.js";
import { apiKeyContext } from "../crypto/secret-cipher.js";
import { MAX_BOUND_PARAMETERS } from "../db/bulk-rows.js";
import { withStep, type OnboardingRecord } from "../onboarding/onboarding-record.js";
import { completeStep, saveStepData } from "../onboarding/step-transitions.js";
import { failInsertsInto } from "../test-support/injected-failure.js";
import { sampleStepData, sealedKeys, testCipher } from "../test-support/sample-steps.js";
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from "../test-support/test-database.js";
import { DatabaseStore } from "./database-store.js";
import type { RecordChange } from "./onboarding-store.js";

describe.each(TEST_DIALECTS)("DatabaseStore.updateMany and readMany on %s", (dialect) => {
  let test: TestDatabase;
  const cipher = testCipher();
  let store: DatabaseStore;

  beforeEach(async () => {
    test = await openTestDatabase(dialect);
    store = new DatabaseStore(test.database, stepPersistences(cipher));
  });
  afterEach(() => test.cleanup());

  const rowsOf = (table: "api_keys" | "website_analyses" | "onboarding_sessions" | "research_preferences") =>
    test.database.kysely.selectFrom(table).selectAll().execute();
  const firstFourSteps = (user: string): RecordChange => (record, now) => {
    let next = completeStep(record, 1, sealedKeys(cipher, user, { openai: `sk-${user}-0001` }), () => [], now);
    for (const n of [2, 3] as const) next = completeStep(next, n, sampleStepData(n, user), () => [], now);
    return saveStepData(next, 4, sampleStepData(4, user), now);
  };

  it("writes new and existing users in one call, each with exactly their own rows", async () => {
    await store.update("user_old", (r, now) => completeStep(r, 1, sealedKeys(cipher, "user_old", { openai: "sk-old-0001", exa: "exa-old-0001" }), () => [], now));
    await store.update("user_old", (r, now) => saveStepData(r, 2, sampleStepData(2, "old"), now));
    const newUsers = ["user_n1", "user_n2", "user_n3"];
    const dropExaAndWebsite: RecordChange = (record, now) => {
      const next = saveStepData(record, 1, sealedKeys(cipher, "user_old", { openai: "sk-old-0002" }), now);
      return withStep(next, { ...next.steps[1]!, status: "pending", data: null, updatedAt: null }, now);
    };
    const results = await store.updateMany([
      ...newUsers.map((userId) => ({ userId, change: firstFourSteps(userId) })),
      { userId: "user_old", change: dropExaAndWebsite },
    ]);

    expect(results.map((record) => record.userId)).toEqual([...newUsers, "user_old"]);
    const records = await store.readMany([...newUsers, "user_old", "user_nobody"]);
    expect([...records.keys()].sort()).toEqual(["user_n1", "user_n2", "user_n3", "user_old"]);
    for (const user of newUsers) {
      const record = records.get(user)!;
      expect(record.steps.map((s) => s.status)).toEqual(["completed", "completed", "completed", "in_progress", "pending", "pending"]);
      expect(record.steps[2]?.data).toEqual(sampleStepData(3, user));
      expect(record.steps[3]?.data).toEqual(sampleStepData(4, user));
      expect(openedKeys(record)).toEqual({ openai: `sk-${user}-0001` });
    }
    const old = records.get("user_old")!;
    expect(openedKeys(old)).toEqual({ openai: "sk-old-0002" });
    expect(old.steps[1]).toMatchObject({ status: "pending", data: null });
    expect((await rowsOf("api_keys")).length).toBe(4);
    expect((await rowsOf("website_analyses")).length).toBe(3);
    expect((await rowsOf("onboarding_sessions")).map((row) => [row.user_id, row.current_step]).sort()).toEqual([
      ["user_n1", 4],
      ["user_n2", 4],
      ["user_n3", 4],
      ["user_old", 2],
    ]);
  });

  it("applies a user's second change in the same call to the result of the first", async () => {
    const key = sealedKeys(cipher, "user_twice", { openai: "sk-twice-0001" });
    const [draft, done] = await store.updateMany([
      { userId: "user_twice", change: (r, now) => saveStepData(r, 1, key, now) },
      { userId: "user_twice", change: (r, now) => completeStep(r, 1, undefined, () => [], now) },
    ]);
    expect(draft?.steps[0]?.status).toBe("in_progress");
    expect(done?.steps[0]?.status).toBe("completed");
    expect(openedKeys((await store.read("user_twice"))!)).toEqual({ openai: "sk-twice-0001" });
    expect((await rowsOf("onboarding_sessions")).length).toBe(1);
  });

  it("writes nothing for anyone when one user's change throws or the database refuses a row", async () => {
    await expect(
      store.updateMany([
        { userId: "user_fine", change: firstFourSteps("user_fine") },
        { userId: "user_throws", change: () => { throw new Error("refused by the change"); } },
      ]),
    ).rejects.toThrow(/refused by the change/);
    await failInsertsInto(test.database, "research_preferences");
    await expect(store.updateMany(["user_a", "user_b"].map((userId) => ({ userId, change: firstFourSteps(userId) })))).rejects.toThrow(
      /injected failure/,
    );
    expect(await rowsOf("onboarding_sessions")).toEqual([]);
    expect(await rowsOf("api_keys")).toEqual([]);
  });

  it("splits a batch too large for one statement into several, losing no row", async () => {
    // Six parameters per new session row: one more user than fits in one statement.
    const users = Array.from({ length: Math.floor(MAX_BOUND_PARAMETERS / 6) + 1 }, (_, i) => `user_many_${i}`);
    // Straight to the store, past the wizard's rules: only the rows matter here.
    const research = (userId: string): RecordChange => (r, now) =>
      withStep(r, { ...r.steps[2]!, status: "in_progress", data: sampleStepData(3, userId), updatedAt: now }, now);
    await store.updateMany(users.map((userId) => ({ userId, change: research(userId) })));
    const records = await store.readMany(users);
    expect(records.size).toBe(users.length);
    expect(records.get(users.at(-1)!)?.steps[2]?.data).toEqual(sampleStepData(3, users.at(-1)!));
    expect((await rowsOf("research_preferences")).length).toBe(users.length);
  });

  const openedKeys = (record: OnboardingRecord) => {
    const keys = (record.steps[0]?.data?.api_keys ?? {}) as Record<string, { ciphertext: string; key_version: number }>;
    return Object.fromEntries(
      Object.entries(keys).map(([provider, key]) => [
        provider,
        cipher.open({ ciphertext: key.ciphertext, keyVersion: key.key_version }, apiKeyContext(record.userId, provider)),
      ]),
    );
  };
});
