import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { buildApp } from "../src/app.js";
import { registerImportFilesCommand } from "../src/cli/commands/import-files-command.js";
import { registerMigrationStatusCommand } from "../src/cli/commands/migration-status-command.js";
import { registerReconcileCommand } from "../src/cli/commands/reconcile-command.js";
import { registerRestoreFilesCommand } from "../src/cli/commands/restore-files-command.js";
import { registerRetireFilesCommand } from "../src/cli/commands/retire-files-command.js";
import { LEGACY_EXAMPLE_TEXT, LEGACY_PLAINTEXT_KEY } from "../src/cli/import-files/import-fixtures.js";
import { folderBytes } from "../src/cli/retire-files/retirement-fixture.js";
import { runTestCommand } from "../src/cli/shared/command-test-runner.js";
import { createServices } from "../src/composition/services.js";
import { loadConfig } from "../src/config/config.js";
import { createLogger } from "../src/logging/logger.js";
import { progressFilePath } from "../src/storage/progress-file-name.js";
import { ApiClient } from "../src/test-support/api-client.js";
import { sampleStepData } from "../src/test-support/sample-steps.js";
import { CLOSED_LOCAL_LLM, openTestApp, type TestApp } from "../src/test-support/test-app.js";
import { TEST_DIALECTS } from "../src/test-support/test-database.js";
import { OPENAI_KEY, walkToStepFour } from "./hardening-support.js";

const USERS = ["user_walked_1", "user.walked.2", "user_walked_3"];

describe.each(TEST_DIALECTS)("from dual mode to retired files, on %s", (dialect) => {
  let t: TestApp;
  afterEach(() => t.close());

  it("blocks on a file not imported and drift, retires after the fixes, serves every user in database mode, and restores byte for byte", async () => {
    t = await openTestApp(dialect, { STORAGE_MODE: "dual" });
    const dir = t.services.config.progressDir;
    for (const [i, user] of USERS.entries()) {
      const api = await ApiClient.signIn(t.app, user);
      await walkToStepFour(api, `walked${i}`);
      if (i === 0) expect((await api.post("/step/4/complete")).status).toBe(200);
    }
    await t.services.store.settled();
    writeFileSync(progressFilePath(dir, "user_legacy"), LEGACY_EXAMPLE_TEXT);
    const session = await t.db.database.kysely.selectFrom("onboarding_sessions").select("id").where("user_id", "=", USERS[1]!).executeTakeFirstOrThrow();
    await t.db.database.kysely.updateTable("research_preferences").set({ research_depth: "Expert" }).where("session_id", "=", session.id).execute();

    const cli = (register: typeof registerRetireFilesCommand, args: string[]) =>
      runTestCommand(register, [...args, "--json"], { database: t.db.database, cipher: t.services.cipher, env: { PROGRESS_DIR: dir } });
    const blocked = await cli(registerMigrationStatusCommand, ["migration-status"]);
    expect(blocked.exitCode).toBe(1);
    const counts = Object.fromEntries((JSON.parse(blocked.stdout) as { blockers: { kind: string; count: number }[] }).blockers.map((b) => [b.kind, b.count]));
    expect(counts).toMatchObject({ files_not_imported: 1, files_drifted: 1 });
    expect((await cli(registerRetireFilesCommand, ["retire-files", "--archive", join(t.db.tempDir, "retired.tar.gz")])).exitCode).toBe(1);

    await cli(registerImportFilesCommand, ["import-files"]);
    expect((await cli(registerReconcileCommand, ["reconcile", "--fix"])).exitCode).toBe(0);
    expect((await cli(registerMigrationStatusCommand, ["migration-status"])).exitCode).toBe(0);
    const everyone = [...USERS, "user_legacy"];
    const before = folderBytes(dir);
    const summaries = new Map<string, unknown>();
    for (const user of everyone) summaries.set(user, (await (await ApiClient.signIn(t.app, user)).get("/summary")).body);

    const archive = join(t.db.tempDir, "retired.tar.gz");
    const retired = await cli(registerRetireFilesCommand, ["retire-files", "--archive", archive]);
    expect(retired.exitCode, retired.stdout).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
    expect(readFileSync(archive).length).toBeGreaterThan(0);

    // The database alone serves every user, the imported one included, and no file comes back.
    const config = loadConfig({ STORAGE_MODE: "database", PROGRESS_DIR: dir, DATA_DIR: join(t.db.tempDir, "data"), LOCAL_ENV_KEYS: "false", LLM_BASE_URL: CLOSED_LOCAL_LLM });
    const services = await createServices(config, createLogger("silent"), { database: t.db.database, cipher: t.services.cipher });
    const app = await buildApp({ services });
    try {
      for (const user of everyone) {
        const api = await ApiClient.signIn(app, user);
        const summary = await api.get("/summary");
        expect(summary.status).toBe(200);
        expect(summary.body).toEqual(summaries.get(user));
        expect((await api.get("/status")).status).toBe(200);
      }
      const legacy = await ApiClient.signIn(app, "user_legacy");
      expect((await legacy.get("/summary")).body.api_keys).toMatchObject({ count: 1, providers: [expect.objectContaining({ provider: "gemini" })] });
      const walked = await ApiClient.signIn(app, USERS[2]!);
      expect((await walked.post("/step/4/complete")).status).toBe(200);
      expect((await walked.put("/step/5", { data: sampleStepData(5, "after") })).status).toBe(200);
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      await app.close();
      await services.close();
    }
    const archived = gunzipSync(readFileSync(archive));
    expect(archived.includes(Buffer.from(OPENAI_KEY))).toBe(false);
    expect(archived.includes(Buffer.from(LEGACY_PLAINTEXT_KEY))).toBe(false);

    expect((await cli(registerRestoreFilesCommand, ["restore-files", "--archive", archive])).exitCode).toBe(0);
    expect(folderBytes(dir)).toEqual(before);
  });
});
