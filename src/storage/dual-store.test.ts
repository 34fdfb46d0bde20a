import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { stepPersistences } from "../composition/step-registry.js";
import { completeStep, saveStepData } from "../onboarding/step-transitions.js";
import { failInsertsInto } from "../test-support/injected-failure.js";
import { sampleStepData, sealedKeys, testCipher } from "../test-support/sample-steps.js";
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from "../test-support/test-database.js";
import { createOnboardingStore } from "./create-onboarding-store.js";
import { DatabaseStore } from "./database-store.js";
import type { OnboardingStore } from "./onboarding-store.js";
import { encodeProgressFile } from "./progress-file-format.js";
import { progressFilePath } from "./progress-file-name.js";
import { StorageMetrics } from "./storage-metrics.js";

describe.each(TEST_DIALECTS)("storage phases on %s", (dialect) => {
  let test: TestDatabase;
  const cipher = testCipher();
  const steps = stepPersistences(cipher);
  let warnings: string[];
  let metrics: StorageMetrics;
  const logger = { warn: (_object: unknown, message: string) => void warnings.push(message) };

  beforeEach(async () => {
    test = await openTestDatabase(dialect);
    warnings = [];
    metrics = new StorageMetrics();
  });
  afterEach(() => test.cleanup());

  const storeIn = (mode: "dual" | "database", progressDir: string): OnboardingStore =>
    createOnboardingStore({ mode, database: test.database, progressDir, steps, logger: logger as never, metrics });

  const journey = async (store: OnboardingStore, user: string) => {
    await store.update(user, (r, now) => completeStep(r, 1, sealedKeys(cipher, user, { openai: "sk-journey-key-9876" }), () => [], now));
    for (const n of [2, 3, 4] as const) await store.update(user, (r, now) => completeStep(r, n, sampleStepData(n, user), () => [], now));
    await store.update(user, (r, now) => saveStepData(r, 5, sampleStepData(5, user), now));
    // The file copy follows each commit off the save's path.
    await store.settled();
  };

  describe("dual", () => {
    it("writes the database and a file that mirrors it exactly, with no key in it", async () => {
      const dir = join(test.tempDir, "progress");
      const store = storeIn("dual", dir);
      await journey(store, "user_dual");
      const fromDatabase = await new DatabaseStore(test.database, steps).read("user_dual");
      const file = JSON.parse(readFileSync(progressFilePath(dir, "user_dual"), "utf8"));
      expect(file).toEqual(JSON.parse(JSON.stringify(encodeProgressFile(fromDatabase!, steps, "dual"))));
      expect(file.steps[0].data).toEqual({ api_keys: { openai: "***************9876" }, api_keys_in_database: true });
      expect(readFileSync(progressFilePath(dir, "user_dual"), "utf8")).not.toContain("sk-journey");
      expect(metrics.snapshot().file_write_failures).toBe(0);
    });

    it("reads from the database only: a deleted or corrupted file changes nothing", async () => {
      const dir = join(test.tempDir, "progress");
      const store = storeIn("dual", dir);
      await journey(store, "user_reads");
      const before = await store.read("user_reads");
      writeFileSync(progressFilePath(dir, "user_reads"), "{ truncated");
      expect(await store.read("user_reads")).toEqual(before);
      rmSync(progressFilePath(dir, "user_reads"));
      expect(await store.read("user_reads")).toEqual(before);
    });

    it("keeps a save the database committed when the file cannot be written, and counts it", async () => {
      const blocker = join(test.tempDir, "not-a-dir");
      writeFileSync(blocker, "a file where the progress folder should be");
      const store = storeIn("dual", join(blocker, "progress"));
      const record = await store.update("user_nofile", (r, now) => saveStepData(r, 1, sealedKeys(cipher, "user_nofile", { gemini: "AIzaSyExample5678" }), now));
      expect(record.steps[0]?.status).toBe("in_progress");
      expect((await store.read("user_nofile"))?.steps[0]?.data).toEqual(record.steps[0]?.data);
      await store.settled();
      expect(metrics.snapshot().file_write_failures).toBe(1);
      expect(warnings.join("\n")).toMatch(/reconcile --fix/);
    });

    it("writes no file when the database write fails", async () => {
      const dir = join(test.tempDir, "progress");
      await failInsertsInto(test.database, "research_preferences");
      const store = storeIn("dual", dir);
      await store.update("user_dbfail", (r, now) => completeStep(r, 1, sealedKeys(cipher, "user_dbfail", { openai: "sk-dbfail-0001" }), () => [], now));
      await store.update("user_dbfail", (r, now) => completeStep(r, 2, sampleStepData(2, "x"), () => [], now));
      await store.settled();
      const fileBefore = readFileSync(progressFilePath(dir, "user_dbfail"), "utf8");
      await expect(store.update("user_dbfail", (r, now) => saveStepData(r, 3, sampleStepData(3, "x"), now))).rejects.toThrow(/injected/);
      await store.settled();
      expect(readFileSync(progressFilePath(dir, "user_dbfail"), "utf8")).toBe(fileBefore);
      await expect(store.update("user_other", (r, now) => saveStepData(r, 1, sealedKeys(cipher, "user_other", { openai: "sk-x-00000001" }), now))).resolves.toBeDefined();
      await store.settled();
      expect(existsSync(progressFilePath(dir, "user_other"))).toBe(true);
    });

    it("gives a shared file name to the first of two ids however close their saves come, and refuses and counts every write of the other, before and after a restart", async () => {
      const dir = join(test.tempDir, "progress");
      const pairs = Array.from({ length: 12 }, (_, i) => [`user.race${i}`, `user_race${i}`] as const);
      const saveAll = (store: OnboardingStore, depth: string) =>
        Promise.all(
          pairs.flat().map((user) => store.update(user, (r, now) => saveStepData(r, 1, sealedKeys(cipher, user, { openai: `sk-race-${depth}-0001` }), now))),
        );
      const ownerOf = (user: string) => (JSON.parse(readFileSync(progressFilePath(dir, user), "utf8")) as { user_id: string }).user_id;

      let store = storeIn("dual", dir);
      // 24 saves at the same moment: two ids per file name, each pair racing.
      await saveAll(store, "first");
      await store.settled();
      const owners = pairs.map(([dotted]) => ownerOf(dotted));
      for (const [i, pair] of pairs.entries()) expect(pair).toContain(owners[i]);
      expect(metrics.snapshot().file_write_failures).toBe(12);

      await saveAll(store, "second");
      await store.settled();
      expect(pairs.map(([dotted]) => ownerOf(dotted))).toEqual(owners);
      expect(metrics.snapshot().file_write_failures).toBe(24);

      // A restart: a fresh mirror knows no owner and reads the one each file stores.
      store = storeIn("dual", dir);
      await saveAll(store, "third");
      await store.settled();
      expect(pairs.map(([dotted]) => ownerOf(dotted))).toEqual(owners);
      expect(metrics.snapshot().file_write_failures).toBe(36);
      // Each file is its owner's latest database record, never the other id's.
      for (const owner of owners) {
        const fromDatabase = await new DatabaseStore(test.database, steps).read(owner!);
        const file = JSON.parse(readFileSync(progressFilePath(dir, owner!), "utf8"));
        expect(file).toEqual(JSON.parse(JSON.stringify(encodeProgressFile(fromDatabase!, steps, "dual"))));
      }
    });

    it("erases the file with the rows", async () => {
      const dir = join(test.tempDir, "progress");
      const store = storeIn("dual", dir);
      await journey(store, "user_erase");
      expect(await store.erase("user_erase")).toBe(true);
      expect(existsSync(progressFilePath(dir, "user_erase"))).toBe(false);
      expect(await store.read("user_erase")).toBeNull();
    });
  });

  describe("database", () => {
    it("does no file I/O at all: a progress folder that cannot exist is never touched", async () => {
      const store = storeIn("database", "/proc/self/cannot/create/this");
      await journey(store, "user_db_only");
      const record = await store.read("user_db_only");
      expect(record?.steps.map((s) => s.status)).toEqual(["completed", "completed", "completed", "completed", "in_progress", "pending"]);
      expect(await store.erase("user_db_only")).toBe(true);
      expect(metrics.snapshot().file_write_failures).toBe(0);
      expect(warnings).toEqual([]);
    });
  });
});
