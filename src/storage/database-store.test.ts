import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { stepPersistences } from "../composition/step-registry.js";
import { apiKeyContext } from "../crypto/secret-cipher.js";
import type { JsonObject } from "../onboarding/onboarding-record.js";
import { completeStep, saveStepData } from "../onboarding/step-transitions.js";
import { failInsertsInto } from "../test-support/injected-failure.js";
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from "../test-support/test-database.js";
import { sampleStepData, sealedKeys, testCipher } from "../test-support/sample-steps.js";
import { DatabaseStore } from "./database-store.js";

const CHILD_TABLES = ["step_states", "api_keys", "website_analyses", "research_preferences", "persona_data", "platform_integrations"] as const;

describe.each(TEST_DIALECTS)("DatabaseStore on %s", (dialect) => {
  let test: TestDatabase;
  const cipher = testCipher();
  let store: DatabaseStore;

  beforeEach(async () => {
    test = await openTestDatabase(dialect);
    store = new DatabaseStore(test.database, stepPersistences(cipher));
  });
  afterEach(() => test.cleanup());

  const countRows = async (table: (typeof CHILD_TABLES)[number] | "onboarding_sessions") =>
    Number((await test.database.kysely.selectFrom(table).select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);

  it("gives back each step's data exactly as it was saved", async () => {
    const user = "user_2abc123xyz";
    const saved: Record<number, JsonObject> = {
      1: sealedKeys(cipher, user, { openai: "sk-test-openai-0001", gemini: "AIzaSyExample1234" }),
      2: sampleStepData(2, "a"),
      3: sampleStepData(3, "a"),
      4: sampleStepData(4, "a"),
      5: sampleStepData(5, "a"),
    };
    for (const n of [1, 2, 3, 4, 5] as const) {
      await store.update(user, (r, now) => completeStep(r, n, saved[n], () => [], now));
    }
    const record = await store.read(user);
    for (const n of [1, 2, 3, 4, 5] as const) expect(record?.steps[n - 1]?.data).toEqual(saved[n]);
    expect(record?.steps.map((s) => s.status)).toEqual(["completed", "completed", "completed", "completed", "completed", "pending"]);
    const session = await test.database.kysely.selectFrom("onboarding_sessions").selectAll().executeTakeFirstOrThrow();
    expect(session).toMatchObject({ user_id: user, current_step: 6, progress: 83.3 });
  });

  it("replaces a step's data on a second save instead of adding rows", async () => {
    const user = "user_resave";
    await store.update(user, (r, now) => saveStepData(r, 1, sealedKeys(cipher, user, { openai: "sk-first-key-0001", exa: "exa-key-00001" }), now));
    await store.update(user, (r, now) => saveStepData(r, 1, sealedKeys(cipher, user, { openai: "sk-second-key-002" }), now));
    const rows = await test.database.kysely.selectFrom("api_keys").selectAll().execute();
    expect(rows.map((r) => [r.provider, r.key_last4])).toEqual([["openai", "-002"]]);
  });

  it("writes nothing when the second table of a save fails", async () => {
    await failInsertsInto(test.database, "step_states");
    await expect(store.update("user_atomic", (r, now) => saveStepData(r, 1, sealedKeys(cipher, "user_atomic", { openai: "sk-atomic-0001" }), now))).rejects.toThrow(
      /injected failure/,
    );
    expect(await countRows("api_keys")).toBe(0);
    expect(await countRows("onboarding_sessions")).toBe(0);
    expect(await store.read("user_atomic")).toBeNull();
  });

  it("keeps an existing user's earlier data when a later save fails", async () => {
    const user = "user_atomic_later";
    await store.update(user, (r, now) => completeStep(r, 1, sealedKeys(cipher, user, { openai: "sk-atomic-0002" }), () => [], now));
    await failInsertsInto(test.database, "step_states");
    await expect(store.update(user, (r, now) => saveStepData(r, 2, sampleStepData(2, "x"), now))).rejects.toThrow(/injected failure/);
    expect(await countRows("website_analyses")).toBe(0);
    const record = await store.read(user);
    expect(record?.steps[1]?.data).toBeNull();
    expect(record?.steps[0]?.status).toBe("completed");
  });

  it("creates exactly one session for 50 concurrent first writes of one user", async () => {
    const user = "user_concurrent";
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        store.update(user, (r, now) => saveStepData(r, 1, sealedKeys(cipher, user, { openai: `sk-concurrent-${String(i).padStart(4, "0")}` }), now)),
      ),
    );
    expect(results.filter((r) => r.status === "rejected")).toEqual([]);
    expect(await countRows("onboarding_sessions")).toBe(1);
    expect(await countRows("api_keys")).toBe(1);
  });

  it("loses none of one user's concurrent changes: each reads what the one before it committed", async () => {
    const user = "user_racing_keys";
    await store.update(user, (r, now) => saveStepData(r, 1, sealedKeys(cipher, user, { openai: "sk-racing-0000" }), now));
    const providers = ["gemini", "anthropic", "mistral", "exa", "tavily", "serper", "firecrawl", "stability", "copilotkit"];
    // Each change adds one key to what the record holds when the change runs, as POST /api-keys does.
    await Promise.all(
      providers.map((provider) =>
        store.update(user, (r, now) => {
          const held = (r.steps[0]?.data?.api_keys ?? {}) as JsonObject;
          const added = sealedKeys(cipher, user, { [provider]: `sk-racing-${provider}` }).api_keys as JsonObject;
          return saveStepData(r, 1, { api_keys: { ...held, ...added } }, now);
        }),
      ),
    );
    const saved = Object.keys(((await store.read(user))?.steps[0]?.data?.api_keys ?? {}) as JsonObject);
    expect(saved.sort()).toEqual(["openai", ...providers].sort());
  });

  it("never gives one user another user's rows, however the writes interleave", async () => {
    const users = ["user_A", "user_B"];
    // Rounds in order (a step is locked until the one before it is done); the users' writes race within each round.
    for (const round of [1, 2, 3] as const) {
      await Promise.all(
        users.map((user) =>
          store.update(user, (r, now) =>
            round === 1
              ? completeStep(r, 1, sealedKeys(cipher, user, { openai: `sk-${user}-secret` }), () => [], now)
              : completeStep(r, round, sampleStepData(round, user), () => [], now),
          ),
        ),
      );
    }
    for (const user of users) {
      const record = await store.read(user);
      expect(record?.userId).toBe(user);
      expect(record?.steps[1]?.data).toEqual(sampleStepData(2, user));
      expect(record?.steps[2]?.data).toEqual(sampleStepData(3, user));
      const sealed = (record?.steps[0]?.data?.api_keys as Record<string, { ciphertext: string; key_version: number }>).openai!;
      expect(cipher.open({ ciphertext: sealed.ciphertext, keyVersion: sealed.key_version }, apiKeyContext(user, "openai"))).toBe(`sk-${user}-secret`);
      const other = users.find((u) => u !== user)!;
      expect(() => cipher.open({ ciphertext: sealed.ciphertext, keyVersion: sealed.key_version }, apiKeyContext(other, "openai"))).toThrow();
    }
  });

  it("erases a user with every child row and leaves other users alone", async () => {
    for (const user of ["user_gone", "user_stays"]) {
      await store.update(user, (r, now) => completeStep(r, 1, sealedKeys(cipher, user, { openai: "sk-erase-0001" }), () => [], now));
      for (const n of [2, 3, 4, 5] as const) await store.update(user, (r, now) => completeStep(r, n, sampleStepData(n, user), () => [], now));
    }
    expect(await store.erase("user_gone")).toBe(true);
    expect(await store.erase("user_gone")).toBe(false);
    expect(await store.read("user_gone")).toBeNull();
    for (const table of CHILD_TABLES) expect(await countRows(table), table).toBeGreaterThan(0);
    expect((await store.read("user_stays"))?.steps[3]?.data).toEqual(sampleStepData(4, "user_stays"));
    const stepStates = await test.database.kysely.selectFrom("step_states").select("session_id").distinct().execute();
    expect(stepStates).toHaveLength(1);
  });
});
