import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { registerRotateEncryptionKeyCommand } from "../commands/rotate-encryption-key-command.js";
import { registerVerifyCommand } from "../commands/verify-command.js";
import { runTestCommand } from "../shared/command-test-runner.js";
import { dumpTables } from "../../test-support/legacy/upgrade-test-support.js";
import type { UserInspection } from "../verify/inspect-user.js";
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from "../../test-support/test-database.js";
import { stepPersistences } from "../../composition/step-registry.js";
import type { Database } from "../../db/database.js";
import { saveStepData } from "../../onboarding/step-transitions.js";
import { DatabaseStore } from "../../storage/database-store.js";
import { sealedKeys } from "../../test-support/sample-steps.js";
import { rotateDatabaseKeys } from "./rotate-database-keys.js";
import { keyRows, openRow, plaintextKey, rotationKeys, seedDatabase, type RotationKeys } from "./rotation-fixture.js";
import type { RotationReport } from "./rotation-report.js";

const OTHER_TABLES = ["onboarding_sessions", "step_states", "website_analyses"];

describe.each(TEST_DIALECTS)("rotate-encryption-key on %s", (dialect) => {
  let test: TestDatabase;
  let keys: RotationKeys;

  beforeEach(async () => {
    test = await openTestDatabase(dialect);
    keys = rotationKeys();
    await seedDatabase(test.database, keys, 12, { withUnopenable: true });
  });
  afterEach(() => test.cleanup());

  const rotate = (...args: string[]) =>
    runTestCommand(registerRotateEncryptionKeyCommand, ["rotate-encryption-key", ...args], {
      database: test.database,
      cipher: keys.rotating,
      env: { STORAGE_MODE: "database" },
    });

  it("re-seals every key under ENCRYPTION_KEY in batches, leaves the rest of each row and every other table alone", async () => {
    const before = await keyRows(test.database);
    const otherTables = await dumpTables(test.database, OTHER_TABLES);
    const run = await rotate("--json", "--batch-size", "5");
    const report = JSON.parse(run.stdout) as RotationReport;

    expect(report.key_version).toBe(keys.after.currentVersion);
    expect(report.previous_key_versions).toEqual([keys.before.currentVersion]);
    expect(report.database).toEqual({ resealed: 25, already_current: 1, changed_meanwhile: 0, failed: 1, batches: 6 });
    expect(report.progress_files).toBeNull();
    expect(report.failures).toEqual([
      {
        store: "database",
        file: null,
        user_id: "user_lost",
        provider: "openai",
        key_version: keys.stranger.currentVersion,
        reason: expect.stringMatching(/no such key version is configured/),
      },
    ]);
    expect(report.complete).toBe(false);
    expect(run.exitCode).toBe(1);

    const after = await keyRows(test.database);
    expect(after.map((row) => [row.user_id, row.provider, row.key_last4, row.updated_at])).toEqual(
      before.map((row) => [row.user_id, row.provider, row.key_last4, row.updated_at]),
    );
    for (const row of after.filter((r) => r.user_id !== "user_lost")) {
      expect(row.key_version).toBe(keys.after.currentVersion);
      expect(openRow(keys.after, row)).toBe(plaintextKey(row.user_id, row.provider));
    }
    const lost = after.find((row) => row.user_id === "user_lost");
    expect(lost).toEqual(before.find((row) => row.user_id === "user_lost"));
    expect(await dumpTables(test.database, OTHER_TABLES)).toBe(otherTables);
    for (const row of before) {
      expect(run.stdout).not.toContain(plaintextKey(row.user_id, row.provider));
      expect(run.stdout).not.toContain(row.key_ciphertext);
    }
  });

  it("a second run finds every key current but the one no configured key opens", async () => {
    await rotate("--batch-size", "7");
    const again = JSON.parse((await rotate("--json")).stdout) as RotationReport;
    expect(again.database).toEqual({ resealed: 0, already_current: 26, changed_meanwhile: 0, failed: 1, batches: 1 });
  });

  it("completes with exit 0 once the keys it cannot open are gone, and verify shows every key on the new version", async () => {
    const verify = async (user: string) =>
      JSON.parse((await runTestCommand(registerVerifyCommand, ["verify", user, "--json"], { database: test.database, cipher: keys.rotating })).stdout) as UserInspection;
    expect((await verify("user_3")).api_key_versions.keys.map((key) => [key.provider, key.key_version, key.on_current_key])).toEqual([
      ["exa", keys.before.currentVersion, false],
      ["openai", keys.before.currentVersion, false],
    ]);
    await test.database.kysely.deleteFrom("onboarding_sessions").where("user_id", "=", "user_lost").execute();

    const run = await rotate();
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/re-sealed +25 in 1 batch\n/);
    expect(run.stdout).toMatch(/already current +1\n/);
    expect(run.stdout).toContain("Every stored key is on the current key version: ENCRYPTION_KEY_PREVIOUS can be removed.");
    expect((await verify("user_3")).api_key_versions).toEqual({
      current_key_version: keys.after.currentVersion,
      keys: [
        { provider: "exa", key_version: keys.after.currentVersion, on_current_key: true },
        { provider: "openai", key_version: keys.after.currentVersion, on_current_key: true },
      ],
    });
    expect((await verify("user_legacy")).api_key_versions.keys).toEqual([{ provider: "gemini", key_version: keys.after.currentVersion, on_current_key: true }]);
  });

  it("names the user and provider of a key it cannot open, never the key", async () => {
    const run = await rotate();
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(
      `database: user "user_lost", provider openai, key version ${keys.stranger.currentVersion}: cannot decrypt a secret sealed with key version ${keys.stranger.currentVersion}: no such key version is configured`,
    );
    expect(run.stdout).toContain("keep ENCRYPTION_KEY_PREVIOUS, fix what is listed, and run again");
    expect(run.stdout).not.toContain(plaintextKey("user_lost", "openai"));
  });

  it("never puts back a key that a user replaced while its batch was being sealed", async () => {
    // The user's save lands between the batch's read and its transaction (as a server's could).
    const store = new DatabaseStore(test.database, stepPersistences(keys.rotating));
    let interleaved = false;
    const database: Database = {
      ...test.database,
      writeTransaction: async (work) => {
        if (!interleaved) {
          interleaved = true;
          await store.update("user_0", (record, now) => saveStepData(record, 1, sealedKeys(keys.rotating, "user_0", { openai: "sk-replaced-during-rotation" }), now));
        }
        return test.database.writeTransaction(work);
      },
    };
    const result = await rotateDatabaseKeys(database, keys.rotating, { batchSize: 100, pause: () => undefined, onFailure: () => undefined });
    // The save replaced user_0's openai key and, holding no exa key, removed that one.
    expect(result).toMatchObject({ resealed: 23, changed_meanwhile: 2, failed: 1 });
    const rows = (await keyRows(test.database)).filter((row) => row.user_id === "user_0");
    expect(rows.map((row) => row.provider)).toEqual(["openai"]);
    expect(openRow(keys.after, rows[0]!)).toBe("sk-replaced-during-rotation");
  });

  it("refuses a batch size that is not a positive whole number", async () => {
    await expect(rotate("--batch-size", "0")).rejects.toThrow(/a whole number from 1 to 10000/);
    expect((await keyRows(test.database)).filter((row) => row.key_version === keys.after.currentVersion)).toHaveLength(1);
  });
});
