import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { stepPersistences } from "../../composition/step-registry.js";
import { completeStep, saveStepData } from "../../onboarding/step-transitions.js";
import { createOnboardingStore } from "../../storage/create-onboarding-store.js";
import { DatabaseStore } from "../../storage/database-store.js";
import { encodeProgressFile } from "../../storage/progress-file-format.js";
import { progressFileName, progressFilePath } from "../../storage/progress-file-name.js";
import { StorageMetrics } from "../../storage/storage-metrics.js";
import { sampleStepData, sealedKeys, testCipher } from "../../test-support/sample-steps.js";
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from "../../test-support/test-database.js";
import { registerReconcileCommand } from "../commands/reconcile-command.js";
import { LEGACY_EXAMPLE_TEXT, legacyExample } from "../import-files/import-fixtures.js";
import { runTestCommand } from "../shared/command-test-runner.js";
import type { ReconcileReport } from "./reconcile-report.js";

describe.each(TEST_DIALECTS)("reconcile on %s", (dialect) => {
  let test: TestDatabase;
  let dir: string;
  const cipher = testCipher();
  const steps = stepPersistences(cipher);

  beforeEach(async () => {
    test = await openTestDatabase(dialect);
    dir = join(test.tempDir, "progress");
    const store = createOnboardingStore({ mode: "dual", database: test.database, progressDir: dir, steps, logger: console, metrics: new StorageMetrics() });
    for (const user of ["user_a", "user.b"]) {
      await store.update(user, (r, now) => completeStep(r, 1, sealedKeys(cipher, user, { openai: "sk-reconcile-0001" }), () => [], now));
      for (const n of [2, 3] as const) await store.update(user, (r, now) => completeStep(r, n, sampleStepData(n, user), () => [], now));
      await store.update(user, (r, now) => saveStepData(r, 4, sampleStepData(4, user), now));
    }
    await store.settled();
  });
  afterEach(() => test.cleanup());

  const reconcile = async (args: string[] = [], env: Record<string, string> = {}) => {
    const run = await runTestCommand(registerReconcileCommand, ["reconcile", ...args, "--json"], { database: test.database, cipher, env: { PROGRESS_DIR: dir, ...env } });
    return { ...run, report: run.stdout === "" ? undefined : (JSON.parse(run.stdout) as ReconcileReport) };
  };
  const fileOf = (user: string) => JSON.parse(readFileSync(progressFilePath(dir, user), "utf8"));
  const expectedFileOf = async (user: string) =>
    JSON.parse(JSON.stringify(encodeProgressFile((await new DatabaseStore(test.database, steps).read(user))!, steps, "dual")));

  it("says in sync when every file mirrors the database, microseconds of last_updated aside", async () => {
    const file = fileOf("user_a");
    file.last_updated = file.last_updated.replace(/\d{3}$/, "456");
    writeFileSync(progressFilePath(dir, "user_a"), JSON.stringify(file, null, 2));
    const { exitCode, report } = await reconcile();
    expect(report).toMatchObject({ users_checked: 2, files_checked: 2, drift: [], in_sync: true });
    expect(exitCode).toBe(0);
    const text = await runTestCommand(registerReconcileCommand, ["reconcile"], { database: test.database, cipher, env: { PROGRESS_DIR: dir } });
    expect(text.stdout).toMatch(/2 users in the database, 2 progress files\nSummary: in sync/);
  });

  it("reports a changed row by user and step, and --fix rewrites the file until it is in sync", async () => {
    const session = await test.database.kysely.selectFrom("onboarding_sessions").select("id").where("user_id", "=", "user.b").executeTakeFirstOrThrow();
    await test.database.kysely.updateTable("research_preferences").set({ research_depth: "Expert" }).where("session_id", "=", session.id).execute();
    await test.database.kysely.updateTable("step_states").set({ status: "in_progress" }).where("session_id", "=", session.id).where("step_number", "=", 2).execute();

    const drifted = await reconcile();
    expect(drifted.exitCode).toBe(1);
    expect(drifted.report?.drift.map((d) => [d.user_id, d.kind, d.step])).toEqual([
      ["user.b", "different", "session"],
      ["user.b", "different", 2],
      ["user.b", "different", 3],
    ]);
    expect(drifted.report?.drift[1]?.detail).toBe('status: file "completed", database "in_progress"');
    expect(drifted.report?.drift[2]?.detail).toBe("data differs");

    const fixed = await reconcile(["--fix"]);
    expect(fixed.report).toMatchObject({ fixed: ["user.b"], remaining: [], in_sync: true });
    expect(fixed.exitCode).toBe(0);
    expect(fileOf("user.b")).toEqual(await expectedFileOf("user.b"));
    expect((await reconcile()).exitCode).toBe(0);
  });

  it("recreates a missing file and a damaged one of a user with a session", async () => {
    rmSync(progressFilePath(dir, "user_a"));
    writeFileSync(progressFilePath(dir, "user.b"), readFileSync(progressFilePath(dir, "user.b"), "utf8").slice(0, 200));
    const { report } = await reconcile();
    expect(report?.drift.map((d) => [d.user_id, d.kind, d.fixable])).toEqual([
      ["user.b", "damaged_file", true],
      ["user_a", "missing_file", true],
    ]);
    const fixed = await reconcile(["--fix"]);
    expect(fixed.exitCode).toBe(0);
    expect(fileOf("user_a")).toEqual(await expectedFileOf("user_a"));
    expect(fileOf("user.b")).toEqual(await expectedFileOf("user.b"));
  });

  it("leaves a file without a session and a foreign file alone, and keeps exit 1", async () => {
    writeFileSync(progressFilePath(dir, "user_legacy"), LEGACY_EXAMPLE_TEXT);
    const foreign = JSON.stringify({ ...legacyExample(), user_id: "user.y" });
    writeFileSync(progressFilePath(dir, "user_x"), foreign);
    const { report, exitCode } = await reconcile(["--fix"]);
    expect(exitCode).toBe(1);
    expect(report?.remaining.map((d) => [d.user_id, d.kind, d.fixable])).toEqual([
      ["user_legacy", "missing_session", false],
      ["user.y", "foreign_file", false],
    ]);
    expect(report?.remaining[0]?.detail).toMatch(/run import-files/);
    expect(report?.fixed).toEqual([]);
    expect(readFileSync(progressFilePath(dir, "user_legacy"), "utf8")).toBe(LEGACY_EXAMPLE_TEXT);
    expect(readFileSync(progressFilePath(dir, "user_x"), "utf8")).toBe(foreign);
  });

  it("keeps a user whose id is too long for the old file name in sync, and --fix recreates the file under its shortened name", async () => {
    const longId = `user_${"l".repeat(240)}.x`;
    const store = createOnboardingStore({ mode: "dual", database: test.database, progressDir: dir, steps, logger: console, metrics: new StorageMetrics() });
    await store.update(longId, (r, now) => completeStep(r, 1, sealedKeys(cipher, longId, { openai: "sk-reconcile-0002" }), () => [], now));
    await store.settled();
    expect((await reconcile()).report).toMatchObject({ users_checked: 3, files_checked: 3, drift: [], in_sync: true });

    rmSync(progressFilePath(dir, longId));
    const fixed = await reconcile(["--fix"]);
    expect(fixed.report?.drift).toEqual([expect.objectContaining({ user_id: longId, kind: "missing_file", file: progressFileName(longId) })]);
    expect(fixed.report).toMatchObject({ fixed: [longId], in_sync: true });
    expect(fileOf(longId)).toEqual(await expectedFileOf(longId));
  });

  it("refuses database mode without --dir, and --fix in file mode", async () => {
    const refused = await reconcile([], { STORAGE_MODE: "database" });
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/STORAGE_MODE=database keeps no progress files.*--dir/);
    expect((await reconcile(["--dir", dir], { STORAGE_MODE: "database" })).report?.in_sync).toBe(true);
    const fileMode = await reconcile(["--fix"], { STORAGE_MODE: "file" });
    expect(fileMode.exitCode).toBe(1);
    expect(fileMode.stderr).toMatch(/STORAGE_MODE=file .*import-files/);
    expect(existsSync(progressFilePath(dir, "user_a"))).toBe(true);
  });
});
