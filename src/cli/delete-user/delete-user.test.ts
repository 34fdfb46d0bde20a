import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { stepPersistences } from "../../composition/step-registry.js";
import { completeStep, saveStepData } from "../../onboarding/step-transitions.js";
import { createOnboardingStore } from "../../storage/create-onboarding-store.js";
import { DatabaseStore } from "../../storage/database-store.js";
import { progressFilePath } from "../../storage/progress-file-name.js";
import { StorageMetrics } from "../../storage/storage-metrics.js";
import { sampleStepData, sealedKeys, testCipher } from "../../test-support/sample-steps.js";
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from "../../test-support/test-database.js";
import { registerDeleteUserCommand } from "../commands/delete-user-command.js";
import { runTestCommand } from "../shared/command-test-runner.js";
import { DatabaseWorkState } from "../../limits/database-work-state.js";
import { PersonaTaskStore } from "../../steps/persona/tasks/persona-task-store.js";
import { USER_TABLES } from "../shared/user-tables.js";
import type { DeletionReport } from "./delete-user.js";

describe.each(TEST_DIALECTS)("delete-user on %s", (dialect) => {
  let test: TestDatabase;
  let dir: string;
  const cipher = testCipher();
  const steps = stepPersistences(cipher);

  beforeEach(async () => {
    test = await openTestDatabase(dialect);
    dir = join(test.tempDir, "progress");
    const store = createOnboardingStore({ mode: "dual", database: test.database, progressDir: dir, steps, logger: console, metrics: new StorageMetrics() });
    for (const user of ["user_gone", "user_stays"]) {
      await store.update(user, (r, now) => completeStep(r, 1, sealedKeys(cipher, user, { openai: "sk-delete-0001", exa: "exa-delete-0001" }), () => [], now));
      for (const n of [2, 3, 4] as const) await store.update(user, (r, now) => completeStep(r, n, sampleStepData(n, user), () => [], now));
      await store.update(user, (r, now) => saveStepData(r, 5, sampleStepData(5, user), now));
    }
    await store.settled();
  });
  afterEach(() => test.cleanup());

  const deleteUser = async (user: string, env: Record<string, string> = {}) => {
    const run = await runTestCommand(registerDeleteUserCommand, ["delete-user", user, "--json"], {
      database: test.database,
      cipher,
      env: { PROGRESS_DIR: dir, ...env },
    });
    return { ...run, report: JSON.parse(run.stdout) as DeletionReport };
  };
  const countRows = async (user: string) => {
    const counts: Record<string, number> = {};
    const session = await test.database.kysely.selectFrom("onboarding_sessions").select("id").where("user_id", "=", user).executeTakeFirst();
    for (const table of USER_TABLES) {
      const query = test.database.kysely.selectFrom(table).select((eb) => eb.fn.countAll().as("n"));
      const scoped = table === "onboarding_sessions" ? query.where("user_id", "=", user) : query.where("session_id", "=", session?.id ?? -1);
      counts[table] = Number((await scoped.executeTakeFirstOrThrow()).n);
    }
    return counts;
  };

  it("erases the session, every child row, the persona tasks, the runs of expensive work and the file, and leaves the other user whole", async () => {
    const tasks = new PersonaTaskStore(test.database);
    for (const user of ["user_gone", "user_stays"]) await tasks.create(user);
    const runs = new DatabaseWorkState(test.database);
    for (const user of ["user_gone", "user_stays"]) await runs.acquire(user, "website", `run-of-${user}`, Date.now(), 15_000);
    const before = await countRows("user_stays");
    const { exitCode, report } = await deleteUser("user_gone");
    expect(exitCode).toBe(0);
    expect(report).toMatchObject({ user_id: "user_gone", session_deleted: true, nothing_found: false, file: { outcome: "deleted" } });
    expect(report.rows_deleted).toEqual({
      onboarding_sessions: 1,
      step_states: 5,
      api_keys: 2,
      website_analyses: 1,
      research_preferences: 1,
      persona_data: 1,
      platform_integrations: 1,
      persona_tasks: 1,
      expensive_work_runs: 1,
    });
    expect(await runs.read("user_gone", "website", Date.now(), 15_000)).toBeNull();
    expect(await runs.read("user_stays", "website", Date.now(), 15_000)).toEqual({ runId: "run-of-user_stays", running: true });
    expect(Object.values(await countRows("user_gone")).every((n) => n === 0)).toBe(true);
    expect(await tasks.unfinished("user_gone")).toBeNull();
    expect(await tasks.unfinished("user_stays")).not.toBeNull();
    expect(existsSync(progressFilePath(dir, "user_gone"))).toBe(false);
    expect(await countRows("user_stays")).toEqual(before);
    expect(existsSync(progressFilePath(dir, "user_stays"))).toBe(true);
    expect((await new DatabaseStore(test.database, steps).read("user_stays"))?.steps[3]?.data).toEqual(sampleStepData(4, "user_stays"));
  });

  it("erases the file of a user whose id is too long for the old file name", async () => {
    const longId = `user_${"d".repeat(250)}`;
    const store = createOnboardingStore({ mode: "dual", database: test.database, progressDir: dir, steps, logger: console, metrics: new StorageMetrics() });
    await store.update(longId, (r, now) => completeStep(r, 1, sealedKeys(cipher, longId, { openai: "sk-delete-0002" }), () => [], now));
    await store.settled();
    expect(existsSync(progressFilePath(dir, longId))).toBe(true);
    const { exitCode } = await deleteUser(longId);
    expect(exitCode).toBe(0);
    expect(existsSync(progressFilePath(dir, longId))).toBe(false);
    expect((await countRows(longId)).onboarding_sessions).toBe(0);
    expect(existsSync(progressFilePath(dir, "user_stays"))).toBe(true);
  });

  it("says so and exits 0 when there is nothing to delete", async () => {
    await deleteUser("user_gone");
    const again = await deleteUser("user_gone");
    expect(again.exitCode).toBe(0);
    expect(again.report).toMatchObject({ session_deleted: false, nothing_found: true, file: { outcome: "absent" } });
    const text = await runTestCommand(registerDeleteUserCommand, ["delete-user", "user_gone"], { database: test.database, cipher, env: { PROGRESS_DIR: dir } });
    expect(text.stdout).toMatch(/^Nothing to delete for user user_gone: no session in the database and no progress file\n$/);
  });

  it("touches no file in database mode", async () => {
    const { exitCode, report } = await deleteUser("user_gone", { STORAGE_MODE: "database" });
    expect(exitCode).toBe(0);
    expect(report).toMatchObject({ session_deleted: true, file: { outcome: "not_checked", path: null } });
    expect(existsSync(progressFilePath(dir, "user_gone"))).toBe(true);
  });

  it("leaves a file that stores another user id alone", async () => {
    const foreign = progressFilePath(dir, "user.gone");
    writeFileSync(foreign, JSON.stringify({ user_id: "user_gone", steps: [] }, null, 2));
    const { exitCode, report } = await deleteUser("user.gone");
    expect(exitCode).toBe(0);
    expect(report).toMatchObject({ session_deleted: false, nothing_found: true, file: { outcome: "belongs_to_another_user" } });
    expect(existsSync(foreign)).toBe(true);
  });
});
