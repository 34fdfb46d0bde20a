import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { stepPersistences } from "../../composition/step-registry.js";
import { migrateToLatest } from "../../db/migrator.js";
import { MIGRATIONS } from "../../db/migrations/migration-list.js";
import { DatabaseStore } from "../../storage/database-store.js";
import { progressFilePath } from "../../storage/progress-file-name.js";
import { testCipher } from "../../test-support/sample-steps.js";
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from "../../test-support/test-database.js";
import { registerImportFilesCommand } from "../commands/import-files-command.js";
import { registerMigrationStatusCommand } from "../commands/migration-status-command.js";
import { registerReconcileCommand } from "../commands/reconcile-command.js";
import { LEGACY_EXAMPLE_TEXT, LEGACY_PLAINTEXT_KEY, legacyExample } from "../import-files/import-fixtures.js";
import { seedDualDeployment } from "../retire-files/retirement-fixture.js";
import { runTestCommand } from "../shared/command-test-runner.js";
import type { Blocker, MigrationStatusReport } from "./migration-status-report.js";

describe.each(TEST_DIALECTS)("migration-status on %s", (dialect) => {
  let test: TestDatabase;
  let dir: string;
  const cipher = testCipher();
  beforeEach(async () => {
    test = await openTestDatabase(dialect);
    dir = join(test.tempDir, "progress");
    await seedDualDeployment(test.database, cipher, dir, ["user_a", "user.b"]);
  });
  afterEach(() => test.cleanup());

  const run = (register: typeof registerMigrationStatusCommand, args: string[], env: Record<string, string> = {}) =>
    runTestCommand(register, args, { database: test.database, cipher, env: { PROGRESS_DIR: dir, ...env } });
  const status = async (env: Record<string, string> = {}) => {
    const result = await run(registerMigrationStatusCommand, ["migration-status", "--json"], env);
    return { ...result, report: JSON.parse(result.stdout) as MigrationStatusReport };
  };
  const blocker = (report: MigrationStatusReport, kind: Blocker["kind"]) => report.blockers.find((b) => b.kind === kind)!;

  it("says ready, exit 0, when every file mirrors the database and the schema is current", async () => {
    const { exitCode, report } = await status();
    expect(report).toMatchObject({ mode: "dual", sessions: 2, progress_files: 2, sessions_without_file: 0, ready_to_retire_files: true });
    expect(report.schema).toEqual({ version: MIGRATIONS.at(-1)!.version, pending_migrations: [] });
    expect(report.blockers.map((b) => [b.kind, b.count])).toEqual([
      ["storage_mode", 0],
      ["pending_migrations", 0],
      ["files_not_imported", 0],
      ["files_drifted", 0],
      ["unreadable_files", 0],
      ["name_collisions", 0],
    ]);
    expect(exitCode).toBe(0);
    const text = await run(registerMigrationStatusCommand, ["migration-status"]);
    expect(text.stdout).toMatch(/progress files: 2\nReady to retire the files/);
  });

  it("names files not imported, drift and an unreadable file with the command that fixes each, and is ready after the fixes", async () => {
    writeFileSync(progressFilePath(dir, "user_legacy"), LEGACY_EXAMPLE_TEXT);
    writeFileSync(progressFilePath(dir, "user_broken"), LEGACY_EXAMPLE_TEXT.slice(0, 300));
    const session = await test.database.kysely.selectFrom("onboarding_sessions").select("id").where("user_id", "=", "user.b").executeTakeFirstOrThrow();
    await test.database.kysely.updateTable("research_preferences").set({ research_depth: "Expert" }).where("session_id", "=", session.id).execute();

    const blocked = await status();
    expect(blocked.exitCode).toBe(1);
    expect(blocked.report.ready_to_retire_files).toBe(false);
    const notImported = blocker(blocked.report, "files_not_imported");
    expect(notImported).toMatchObject({ count: 1, fix: "run import-files" });
    expect(notImported.examples).toEqual([expect.objectContaining({ file: ".onboarding_progress_user_legacy.json", user_id: "user_legacy" })]);
    const drifted = blocker(blocked.report, "files_drifted");
    expect(drifted).toMatchObject({ count: 1, fix: expect.stringMatching(/^run reconcile --fix/) });
    expect(drifted.examples).toEqual([{ file: ".onboarding_progress_user_b.json", user_id: "user.b", detail: "step 3: data differs" }]);
    const unreadable = blocker(blocked.report, "unreadable_files");
    expect(unreadable).toMatchObject({ count: 1, fix: expect.stringMatching(/^move these files out of the folder/) });
    expect(unreadable.examples[0]).toMatchObject({ file: ".onboarding_progress_user_broken.json", user_id: "user_broken" });
    expect(blocker(blocked.report, "name_collisions").count).toBe(0);
    const text = await run(registerMigrationStatusCommand, ["migration-status"]);
    expect(text.stdout).toContain("files not yet imported: 1\n    .onboarding_progress_user_legacy.json → user_legacy: no session in the database");
    expect(text.stdout).toContain("    fix: run import-files");
    expect(text.stdout).toContain("Not ready to retire the files: 3 blockers");

    await run(registerImportFilesCommand, ["import-files"]);
    renameSync(progressFilePath(dir, "user_broken"), join(test.tempDir, "user_broken.json"));
    // Imported, the legacy file still lacks its user_id and holds its plaintext key: reconcile --fix rewrites it (with a mask).
    const imported = await status();
    expect(blocker(imported.report, "files_drifted").examples.map((e) => e.user_id)).toContain("user_legacy");
    expect(imported.report.blockers.filter((b) => b.count > 0).map((b) => b.kind)).toEqual(["files_drifted"]);
    expect((await run(registerReconcileCommand, ["reconcile", "--fix"])).exitCode).toBe(0);
    const ready = await status();
    expect(ready.report).toMatchObject({ sessions: 3, progress_files: 3, ready_to_retire_files: true });
    expect(ready.exitCode).toBe(0);
    expect(readFileSync(progressFilePath(dir, "user_legacy"), "utf8")).not.toContain(LEGACY_PLAINTEXT_KEY);
  });

  it("counts a foreign file and an unclaimed file of a shared name as collisions; a name held by its first owner blocks nothing", async () => {
    writeFileSync(progressFilePath(dir, "user_x"), JSON.stringify({ ...legacyExample(), user_id: "user_y" }, null, 2));
    await seedDualDeployment(test.database, cipher, join(test.tempDir, "elsewhere"), ["user_b", "user.c", "user@c"]);
    writeFileSync(progressFilePath(dir, "user_c"), LEGACY_EXAMPLE_TEXT);
    const { report } = await status();
    const collisions = blocker(report, "name_collisions");
    expect(collisions.count).toBe(2);
    expect(collisions.examples.map((e) => e.file)).toEqual([".onboarding_progress_user_c.json", ".onboarding_progress_user_x.json"]);
    expect(collisions.examples[0]?.detail).toMatch(/stores no user_id, and its name is that of 2 users/);
    // user_b's name is user.b's file, which stores user.b: the database alone holds user_b, as dual mode left it.
    expect(report.shared_file_names).toEqual([expect.objectContaining({ user_id: "user_b", file: ".onboarding_progress_user_b.json" })]);
    expect(report.sessions_without_file).toBe(0);
  });

  it("blocks on pending migrations (run migrate) and on STORAGE_MODE=file", async () => {
    const fresh = await openTestDatabase(dialect, { migrate: false });
    try {
      await migrateToLatest(fresh.database, MIGRATIONS.slice(0, -1));
      const result = await runTestCommand(registerMigrationStatusCommand, ["migration-status", "--json"], { database: fresh.database, cipher, env: { PROGRESS_DIR: join(fresh.tempDir, "none") } });
      const report = JSON.parse(result.stdout) as MigrationStatusReport;
      expect(blocker(report, "pending_migrations")).toMatchObject({ count: 1, fix: "run migrate" });
      expect(report.progress_files).toBe(0);
      expect(result.exitCode).toBe(1);
    } finally {
      await fresh.cleanup();
    }
    const fileMode = await status({ STORAGE_MODE: "file" });
    expect(blocker(fileMode.report, "storage_mode").count).toBe(1);
    expect(fileMode.exitCode).toBe(1);
  });

  it("in database mode reads the folder named by --dir, and counts sessions without a file as no blocker", async () => {
    mkdirSync(join(test.tempDir, "empty"));
    const refused = await run(registerMigrationStatusCommand, ["migration-status"], { STORAGE_MODE: "database" });
    expect(refused.stderr).toMatch(/--dir/);
    const result = await run(registerMigrationStatusCommand, ["migration-status", "--json", "--dir", join(test.tempDir, "empty")], { STORAGE_MODE: "database" });
    expect(JSON.parse(result.stdout)).toMatchObject({ mode: "database", sessions: 2, progress_files: 0, sessions_without_file: 2, ready_to_retire_files: true });
    expect(existsSync(progressFilePath(dir, "user_a"))).toBe(true);
    expect(await new DatabaseStore(test.database, stepPersistences(cipher)).read("user_a")).not.toBeNull();
  });
});
