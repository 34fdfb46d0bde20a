import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { stepPersistences } from "../../composition/step-registry.js";
import { FileStore } from "../../storage/file-store.js";
import { progressFilePath } from "../../storage/progress-file-name.js";
import { ProgressFiles } from "../../storage/progress-files.js";
import { openTestDatabase, type TestDatabase } from "../../test-support/test-database.js";
import { registerRotateEncryptionKeyCommand } from "../commands/rotate-encryption-key-command.js";
import { runTestCommand } from "../shared/command-test-runner.js";
import { openRow, plaintextKey, rotationKeys, saveUserKeys, type RotationKeys } from "./rotation-fixture.js";
import type { RotationReport } from "./rotation-report.js";

/** An old platform's file: its keys in plaintext, which import-files (or the next save) seals, not the rotation. */
const OLD_PLATFORM_FILE = JSON.stringify({ steps: [{ step_number: 1, status: "completed", data: { api_keys: { gemini: "AIzaSyOldPlatform1234" } } }] }, null, 2);
const DAMAGED_FILE = '{\n  "steps": [\n    {\n      "step_number": 1,\n      "data": {\n        "encrypted_api_keys": {\n          "openai": "v12';

describe("rotate-encryption-key on progress files (STORAGE_MODE=file)", () => {
  let test: TestDatabase;
  let keys: RotationKeys;
  let dir: string;

  beforeEach(async () => {
    test = await openTestDatabase("sqlite");
    keys = rotationKeys();
    dir = join(test.tempDir, "progress");
    const store = new FileStore(new ProgressFiles(dir, stepPersistences(keys.rotating), "file"));
    for (const user of ["user_a", "user_b", "user.c"]) await saveUserKeys(store, keys.before, user, ["openai", "exa"]);
    await saveUserKeys(store, keys.legacy, "user_legacy", ["gemini"]);
    await saveUserKeys(store, keys.after, "user_new", ["anthropic"]);
    await saveUserKeys(store, keys.stranger, "user_lost", ["openai"]);
    writeFileSync(join(dir, ".onboarding_progress_user_old.json"), OLD_PLATFORM_FILE);
    writeFileSync(join(dir, ".onboarding_progress_user_damaged.json"), DAMAGED_FILE);
  });
  afterEach(() => test.cleanup());

  const rotate = async () => {
    const run = await runTestCommand(registerRotateEncryptionKeyCommand, ["rotate-encryption-key", "--json"], {
      database: test.database,
      cipher: keys.rotating,
      env: { STORAGE_MODE: "file", PROGRESS_DIR: dir },
    });
    return { ...run, report: JSON.parse(run.stdout) as RotationReport };
  };
  const fileText = (user: string) => readFileSync(progressFilePath(dir, user), "utf8");
  const withoutSealedKeys = (text: string) => {
    const file = JSON.parse(text) as { steps: { data: { encrypted_api_keys?: unknown } | null }[] };
    delete file.steps[0]!.data!.encrypted_api_keys;
    return file;
  };

  it("re-seals the keys each file holds sealed, replaces only those values, and reports the ones it cannot open", async () => {
    const before = new Map(["user_a", "user_b", "user.c", "user_legacy", "user_new", "user_lost", "user_old", "user_damaged"].map((u) => [u, fileText(u)]));
    const { exitCode, report, stdout } = await rotate();

    expect(report.progress_files).toEqual({
      dir,
      files: 8,
      files_rewritten: 4,
      resealed: 7,
      already_current: 1,
      failed: 1,
      unreadable_files: [".onboarding_progress_user_damaged.json"],
    });
    expect(report.failures).toEqual([
      {
        store: "file",
        file: ".onboarding_progress_user_lost.json",
        user_id: "user_lost",
        provider: "openai",
        key_version: keys.stranger.currentVersion,
        reason: expect.stringMatching(/no such key version/),
      },
    ]);
    expect(exitCode).toBe(1);

    const reader = new FileStore(new ProgressFiles(dir, stepPersistences(keys.after), "file"));
    for (const [user, providers] of [["user_a", ["exa", "openai"]], ["user.c", ["exa", "openai"]], ["user_legacy", ["gemini"]], ["user_new", ["anthropic"]]] as const) {
      const stored = (await reader.read(user))?.steps[0]?.data?.api_keys as Record<string, { ciphertext: string; key_version: number }>;
      expect(Object.keys(stored).sort()).toEqual(providers);
      for (const provider of providers) {
        const key = stored[provider]!;
        expect(key.key_version).toBe(keys.after.currentVersion);
        expect(openRow(keys.after, { user_id: user, provider, key_ciphertext: key.ciphertext, key_version: key.key_version })).toBe(plaintextKey(user, provider));
      }
      expect(withoutSealedKeys(fileText(user))).toEqual(withoutSealedKeys(before.get(user)!));
    }
    for (const untouched of ["user_new", "user_lost", "user_old", "user_damaged"]) expect(fileText(untouched)).toBe(before.get(untouched));
    expect(readdirSync(dir).filter((name) => name.endsWith(".tmp"))).toEqual([]);
    for (const text of before.values()) for (const sealed of text.match(/v\d+:[^"]*:[A-Za-z0-9+/=]{20,}/g) ?? []) expect(stdout).not.toContain(sealed);
  });

  it("a second run rewrites no file", async () => {
    await rotate();
    const again = (await rotate()).report.progress_files;
    expect(again).toMatchObject({ files_rewritten: 0, resealed: 0, already_current: 8, failed: 1 });
  });

  it("touches no file in database mode", async () => {
    const before = fileText("user_a");
    const run = await runTestCommand(registerRotateEncryptionKeyCommand, ["rotate-encryption-key", "--json"], {
      database: test.database,
      cipher: keys.rotating,
      env: { STORAGE_MODE: "database", PROGRESS_DIR: dir },
    });
    expect(JSON.parse(run.stdout)).toMatchObject({ progress_files: null, complete: true });
    expect(fileText("user_a")).toBe(before);
  });
});
