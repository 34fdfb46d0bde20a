import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { stepPersistences } from "../../composition/step-registry.js";
import { FileStore } from "../../storage/file-store.js";
import { progressFilePath } from "../../storage/progress-file-name.js";
import { ProgressFiles } from "../../storage/progress-files.js";
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from "../../test-support/test-database.js";
import { captureIo, cliEnv, needsReachableDatabase, runUntilPausedThenKill } from "../cli-test-support.js";
import { registerRotateEncryptionKeyCommand } from "../commands/rotate-encryption-key-command.js";
import { runCli } from "../run-cli.js";
import { asCommandFactory } from "../shared/command-factory.js";
import { keyRows, openRow, plaintextKey, rotationKeys, saveUserKeys, seedDatabase, type RotationKeys } from "./rotation-fixture.js";
import type { RotationReport } from "./rotation-report.js";

const ROTATE = [asCommandFactory(registerRotateEncryptionKeyCommand)];

async function rotateInProcess(env: Record<string, string>): Promise<{ code: number; report: RotationReport }> {
  const io = captureIo(env);
  const code = await runCli(["rotate-encryption-key", "--json", "--batch-size", "4"], io, ROTATE);
  return { code, report: JSON.parse(io.stdout()) as RotationReport };
}

function rotationEnv(test: TestDatabase, keys: RotationKeys, extra: Record<string, string>): Record<string, string> {
  return cliEnv(test, { ENCRYPTION_KEY: keys.current, ENCRYPTION_KEY_PREVIOUS: keys.previous, ...extra });
}

describe.each(TEST_DIALECTS)("rotate-encryption-key killed with kill -9 on %s", async (dialect) => {
  const probe = await openTestDatabase(dialect);
  const skip = needsReachableDatabase(probe);
  await probe.cleanup();
  let test: TestDatabase;
  afterEach(() => test.cleanup());

  it.skipIf(skip !== undefined)(
    "inside its third batch keeps the two committed batches, rolls the third back, and a re-run completes the rotation",
    async () => {
      test = await openTestDatabase(dialect);
      const keys = rotationKeys();
      await seedDatabase(test.database, keys, 12, { withUnopenable: false });
      const env = rotationEnv(test, keys, { STORAGE_MODE: "database" });

      await runUntilPausedThenKill(["rotate-encryption-key", "--batch-size", "4"], { ...env, ROTATE_ENCRYPTION_KEY_PAUSE_AT: "batch-3" }, "batch-3");

      const killed = await keyRows(test.database);
      const onNewKey = killed.filter((row) => row.key_version === keys.after.currentVersion);
      // Batches 1 and 2 (4 rows each) committed, batch 3 rolled back; user_new was current already.
      expect(onNewKey.map((row) => row.user_id)).toEqual(["user_0", "user_0", "user_1", "user_1", "user_2", "user_2", "user_3", "user_3", "user_new"]);
      for (const row of killed) expect(openRow(keys.rotating, row)).toBe(plaintextKey(row.user_id, row.provider));

      const rerun = await rotateInProcess(env);
      expect(rerun.code).toBe(0);
      expect(rerun.report.database).toEqual({ resealed: 17, already_current: 9, changed_meanwhile: 0, failed: 0, batches: 5 });
      expect(rerun.report.complete).toBe(true);
      const done = await keyRows(test.database);
      expect(done).toHaveLength(26);
      for (const row of done) {
        expect(row.key_version).toBe(keys.after.currentVersion);
        expect(openRow(keys.after, row)).toBe(plaintextKey(row.user_id, row.provider));
      }
    },
    60_000,
  );

  it.skipIf(skip !== undefined || dialect !== "sqlite")(
    "in file mode after its second file leaves every file whole, and a re-run re-seals the rest",
    async () => {
      test = await openTestDatabase(dialect);
      const keys = rotationKeys();
      const dir = join(test.tempDir, "progress");
      const users = ["user_a", "user_b", "user_c", "user_d", "user_e", "user_f"];
      const store = new FileStore(new ProgressFiles(dir, stepPersistences(keys.rotating), "file"));
      for (const user of users) await saveUserKeys(store, keys.before, user, ["openai", "exa"]);
      const env = rotationEnv(test, keys, { STORAGE_MODE: "file", PROGRESS_DIR: dir });

      await runUntilPausedThenKill(["rotate-encryption-key"], { ...env, ROTATE_ENCRYPTION_KEY_PAUSE_AT: "file-2" }, "file-2");

      const versions = (user: string) => [...readFileSync(progressFilePath(dir, user), "utf8").matchAll(/"v(\d+):/g)].map((m) => Number(m[1]));
      expect(users.map(versions)).toEqual(users.map((_, i) => Array(2).fill(i < 2 ? keys.after.currentVersion : keys.before.currentVersion)));
      const reader = new FileStore(new ProgressFiles(dir, stepPersistences(keys.rotating), "file"));
      for (const user of users) expect((await reader.read(user))?.steps[0]?.status).toBe("completed");

      const rerun = await rotateInProcess(env);
      expect(rerun.code).toBe(0);
      expect(rerun.report.progress_files).toMatchObject({ files: 6, files_rewritten: 4, resealed: 8, already_current: 4, failed: 0 });
      expect(users.map(versions)).toEqual(users.map(() => [keys.after.currentVersion, keys.after.currentVersion]));
    },
    60_000,
  );
});
