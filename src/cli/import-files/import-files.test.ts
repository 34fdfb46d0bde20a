import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { stepPersistences } from "../../composition/step-registry.js";
import { apiKeyContext } from "../../crypto/secret-cipher.js";
import { completeStep, saveStepData } from "../../onboarding/step-transitions.js";
import { DatabaseStore } from "../../storage/database-store.js";
import { encodeProgressFile } from "../../storage/progress-file-format.js";
import { progressFileName, progressFilePath } from "../../storage/progress-file-name.js";
import { sampleStepData, sealedKeys, testCipher } from "../../test-support/sample-steps.js";
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from "../../test-support/test-database.js";
import { createOnboardingStore } from "../../storage/create-onboarding-store.js";
import { StorageMetrics } from "../../storage/storage-metrics.js";
import { registerImportFilesCommand } from "../commands/import-files-command.js";
import { registerReconcileCommand } from "../commands/reconcile-command.js";
import type { ReconcileReport } from "../reconcile/reconcile-report.js";
import { runTestCommand } from "../shared/command-test-runner.js";
import { USER_TABLES } from "../shared/user-tables.js";
import {
  inconsistentFile,
  LEGACY_EXAMPLE_TEXT,
  LEGACY_PLAINTEXT_KEY,
  legacyExample,
  snakeCasePersonaFile,
  websiteUrlFile,
} from "./import-fixtures.js";
import type { ImportReport } from "./import-report.js";

describe.each(TEST_DIALECTS)("import-files on %s", (dialect) => {
  let test: TestDatabase;
  let dir: string;
  const cipher = testCipher();
  const steps = stepPersistences(cipher);
  let store: DatabaseStore;

  beforeEach(async () => {
    test = await openTestDatabase(dialect);
    dir = join(test.tempDir, "progress");
    mkdirSync(dir);
    store = new DatabaseStore(test.database, steps);
  });
  afterEach(() => test.cleanup());

  const put = (name: string, content: unknown) =>
    writeFileSync(join(dir, `.onboarding_progress_${name}.json`), typeof content === "string" ? content : JSON.stringify(content, null, 2));
  const importFiles = async (...args: string[]) => {
    const run = await runTestCommand(registerImportFilesCommand, ["import-files", "--dir", dir, ...args], { database: test.database, cipher });
    return { ...run, report: args.includes("--json") ? (JSON.parse(run.stdout) as ImportReport) : undefined };
  };
  const outcomeOf = (report: ImportReport | undefined, name: string) => report?.files.find((f) => f.file === `.onboarding_progress_${name}.json`);
  const snapshot = async () => {
    const tables: Record<string, unknown[]> = {};
    for (const table of USER_TABLES) tables[table] = await test.database.kysely.selectFrom(table).selectAll().execute();
    return JSON.parse(JSON.stringify(tables)) as Record<string, Record<string, unknown>[]>;
  };
  const countSessions = async () => (await snapshot()).onboarding_sessions!.length;

  const putMixedFolder = () => {
    put("user_legacy", LEGACY_EXAMPLE_TEXT);
    put("user_truncated", LEGACY_EXAMPLE_TEXT.slice(0, 400));
    put("user_inconsistent", inconsistentFile());
    put("user_dot_snake", snakeCasePersonaFile("user.dot.snake"));
    put("user_website_url", websiteUrlFile());
    put("user_x", { ...legacyExample(), user_id: "user.y" });
  };

  it("imports the good files, seals the plaintext key, and reports every bad one", async () => {
    putMixedFolder();
    const { exitCode, report } = await importFiles("--json");
    expect(exitCode).toBe(1);
    expect(report?.summary).toMatchObject({ files: 6, imported: 4, unchanged: 0, damaged: 1, foreign: 1, failed: 0, skipped: 2 });
    expect(outcomeOf(report, "user_truncated")).toMatchObject({ outcome: "damaged", reason: expect.stringMatching(/not valid JSON/) });
    expect(outcomeOf(report, "user_x")).toMatchObject({ outcome: "foreign", reason: expect.stringContaining('"user.y"') });
    expect(outcomeOf(report, "user_legacy")).toMatchObject({ outcome: "imported", user_id: "user_legacy", user_id_source: "file_name", new_session: true });
    expect(outcomeOf(report, "user_dot_snake")).toMatchObject({ user_id: "user.dot.snake", user_id_source: "file" });
    expect(outcomeOf(report, "user_inconsistent")?.repairs.join("\n")).toMatch(/step 5 was missing[\s\S]*is_completed was true/);

    const legacy = await store.read("user_legacy");
    expect(legacy?.steps.map((s) => s.status)).toEqual(["completed", "completed", "in_progress", "pending", "pending", "pending"]);
    expect(legacy?.steps[1]?.data).toEqual({ website: "https://example.com", analysis: { writing_style: { tone: "friendly" } } });
    expect(legacy?.startedAt).toBe("2025-01-10T11:59:00.000Z");
    const keyRow = await test.database.kysely
      .selectFrom("api_keys")
      .innerJoin("onboarding_sessions", "onboarding_sessions.id", "api_keys.session_id")
      .select(["key_ciphertext", "key_version", "key_last4"])
      .where("user_id", "=", "user_legacy")
      .where("provider", "=", "gemini")
      .executeTakeFirstOrThrow();
    expect(keyRow.key_last4).toBe("1234");
    expect(cipher.open({ ciphertext: keyRow.key_ciphertext, keyVersion: keyRow.key_version }, apiKeyContext("user_legacy", "gemini"))).toBe(
      LEGACY_PLAINTEXT_KEY,
    );
    expect(JSON.stringify(await snapshot())).not.toContain(LEGACY_PLAINTEXT_KEY);
    expect(JSON.stringify(await snapshot())).not.toContain("ExampleExample");

    expect((await store.read("user.dot.snake"))?.steps[3]?.data).toEqual({
      corePersona: { persona_name: "Snake" },
      platformPersonas: { blog: { length: "long" } },
      qualityMetrics: { completeness: 80 },
      selectedPlatforms: ["blog"],
    });
    const websiteUrl = await store.read("user_website_url");
    expect(websiteUrl?.steps[1]?.data).toEqual({ website: "https://old.example.org", analysis: { writing_style: { tone: "formal" } } });
    expect(websiteUrl?.steps[4]?.data).toEqual({ cms: "wordpress", social_platforms: ["mastodon"], website_platforms: [], analytics_platforms: [] });
    const inconsistent = await store.read("user_inconsistent");
    expect(inconsistent?.completedAt).toBeNull();
    expect(inconsistent?.steps).toHaveLength(6);
    expect(await store.read("user_x")).toBeNull();
    expect(await store.read("user.y")).toBeNull();
    expect(await store.read("user_truncated")).toBeNull();
  });

  it("changes nothing on a second run: same rows, same updated_at, every good file unchanged", async () => {
    putMixedFolder();
    await importFiles();
    const before = await snapshot();
    const { report, stdout } = await importFiles("--json");
    expect(report?.summary).toMatchObject({ imported: 0, unchanged: 4, database_newer_steps: 0, damaged: 1, foreign: 1 });
    expect(await snapshot()).toEqual(before);
    expect(before.onboarding_sessions).toHaveLength(4);
    expect(stdout).not.toContain(LEGACY_PLAINTEXT_KEY);
  });

  it("keeps a step the database changed after the file, and takes a step the file changed later", async () => {
    put("user_newer", LEGACY_EXAMPLE_TEXT);
    await importFiles();
    await store.update("user_newer", (r, now) => saveStepData(r, 2, sampleStepData(2, "api"), now));
    const file = legacyExample();
    file.steps[1]!.data = { website: "https://stale-file.example.com" };
    file.steps[2] = { ...file.steps[2]!, status: "completed", completed_at: "2099-01-01T00:00:00.000000", data: sampleStepData(3, "late") };
    file.last_updated = "2099-01-01T00:00:00.000000";
    put("user_newer", file);

    const { report, exitCode } = await importFiles("--json");
    expect(exitCode).toBe(0);
    const outcome = outcomeOf(report, "user_newer");
    expect(outcome).toMatchObject({ outcome: "imported", steps_from_file: [3] });
    expect(outcome?.database_newer.map((s) => s.step)).toEqual([2]);
    const record = await store.read("user_newer");
    expect(record?.steps[1]?.data).toEqual(sampleStepData(2, "api"));
    expect(record?.steps[2]).toMatchObject({ status: "completed", data: sampleStepData(3, "late") });
  });

  it("keeps the database's step on a tie with the file, and leaves the file for reconcile to report as drift", async () => {
    const dual = createOnboardingStore({ mode: "dual", database: test.database, progressDir: dir, steps, logger: console, metrics: new StorageMetrics() });
    const standard = { ...sampleStepData(3, "tie"), research_depth: "Standard" };
    await dual.update("user_tie", (r, now) => completeStep(r, 1, sealedKeys(cipher, "user_tie", { openai: "sk-tie-key-0001" }), () => [], now));
    await dual.update("user_tie", (r, now) => completeStep(r, 2, sampleStepData(2, "tie"), () => [], now));
    await dual.update("user_tie", (r, now) => saveStepData(r, 3, standard, now));
    await dual.settled();
    // Edited by hand: another depth, the same step timestamp.
    const path = progressFilePath(dir, "user_tie");
    const file = JSON.parse(readFileSync(path, "utf8"));
    file.steps[2].data.research_depth = "Expert";
    writeFileSync(path, JSON.stringify(file, null, 2));

    const { report, exitCode } = await importFiles("--json");
    expect(exitCode).toBe(0);
    const outcome = report?.files.find((f) => f.user_id === "user_tie");
    expect(outcome?.steps_from_file).toEqual([]);
    expect(outcome?.database_newer.map((s) => [s.step, s.database_updated_at === s.file_updated_at])).toEqual([[3, true]]);
    expect((await store.read("user_tie"))?.steps[2]?.data).toEqual(standard);

    const reconciled = await runTestCommand(registerReconcileCommand, ["reconcile", "--json"], { database: test.database, cipher, env: { PROGRESS_DIR: dir } });
    expect(reconciled.exitCode).toBe(1);
    const drift = (JSON.parse(reconciled.stdout) as ReconcileReport).drift.filter((d) => d.user_id === "user_tie");
    expect(drift.map((d) => [d.kind, d.step])).toEqual([["different", 3]]);
  });

  it("writes nothing in a dry run and says what would change", async () => {
    putMixedFolder();
    const { report, stdout } = await importFiles("--dry-run");
    expect(stdout).toMatch(/would import\s+\.onboarding_progress_user_legacy\.json → user_legacy \(new session; user id inferred/);
    expect(stdout).toMatch(/Summary: 6 files: 4 would be imported, 0 unchanged, 0 database-newer steps, 1 damaged, 1 foreign, 0 failed, 2 skipped/);
    expect(report).toBeUndefined();
    expect(await countSessions()).toBe(0);
  });

  it("loses no other file when one file's data is refused inside a batch", async () => {
    put("user_good_a", LEGACY_EXAMPLE_TEXT);
    const refused = legacyExample();
    refused.steps[2] = { ...refused.steps[2]!, data: { content_types: ["blog"] } };
    put("user_refused", refused);
    put("user_good_b", LEGACY_EXAMPLE_TEXT);
    const { report, exitCode } = await importFiles("--json");
    expect(exitCode).toBe(1);
    expect(report?.summary).toMatchObject({ imported: 2, failed: 1 });
    expect(outcomeOf(report, "user_refused")).toMatchObject({ outcome: "failed", reason: expect.stringMatching(/research_depth/) });
    expect((await store.read("user_good_a"))?.steps[0]?.status).toBe("completed");
    expect((await store.read("user_good_b"))?.steps[0]?.status).toBe("completed");
    expect(await store.read("user_refused")).toBeNull();
  });

  it("reports masked keys it cannot import, and keeps the database's key for a masked one", async () => {
    const user = "user_dual_copy";
    await store.update(user, (r, now) => completeStep(r, 1, sealedKeys(cipher, user, { openai: "sk-kept-in-db-0001" }), () => [], now));
    const record = (await store.read(user))!;
    writeFileSync(progressFilePath(dir, user), JSON.stringify(encodeProgressFile(record, steps, "dual"), null, 2));
    const lost = encodeProgressFile({ ...record, userId: "user_lost_keys" }, steps, "dual");
    writeFileSync(progressFilePath(dir, "user_lost_keys"), JSON.stringify(lost, null, 2));

    const { report, exitCode } = await importFiles("--json");
    expect(exitCode).toBe(1);
    expect(outcomeOf(report, user)).toMatchObject({ outcome: "unchanged", keys_not_imported: [] });
    expect(outcomeOf(report, "user_lost_keys")).toMatchObject({ outcome: "imported", keys_not_imported: ["openai"] });
    expect((await importFiles("--dry-run")).stdout).toMatch(
      /user_lost_keys[^\n]*\n.*keys not importable \(masked in the file, absent from the database\): openai/,
    );
    const kept = (await store.read(user))?.steps[0]?.data?.api_keys as Record<string, { ciphertext: string; key_version: number }>;
    expect(cipher.open({ ciphertext: kept.openai!.ciphertext, keyVersion: kept.openai!.key_version }, apiKeyContext(user, "openai"))).toBe(
      "sk-kept-in-db-0001",
    );
    expect((await store.read("user_lost_keys"))?.steps[0]).toMatchObject({ status: "completed", data: null });
  });

  it("draws a progress line on a terminal's stderr and none otherwise", async () => {
    put("user_legacy", LEGACY_EXAMPLE_TEXT);
    const onTty = await runTestCommand(registerImportFilesCommand, ["import-files", "--dir", dir, "--dry-run"], {
      database: test.database,
      cipher,
      stderrIsTTY: true,
    });
    expect(onTty.stderr).toMatch(/^(\r1\/1 files {2}\d+ files\/s)+\n$/);
    expect((await importFiles("--dry-run")).stderr).toBe("");
  });

  it("imports the file of a user id too long for the old name, and skips shortened names it cannot vouch for", async () => {
    const longId = `user_${"i".repeat(230)}@example.com`;
    const otherId = `user_${"i".repeat(230)}@example.org`;
    writeFileSync(progressFilePath(dir, longId), JSON.stringify({ ...legacyExample(), user_id: longId }, null, 2));
    // A shortened name stands for one id: a file there that stores another, or none, is not that user's.
    writeFileSync(progressFilePath(dir, `${otherId}.moved`), JSON.stringify({ ...legacyExample(), user_id: otherId }, null, 2));
    writeFileSync(progressFilePath(dir, `${otherId}.anonymous`), LEGACY_EXAMPLE_TEXT);
    const { report } = await importFiles("--json");
    expect(report?.summary).toMatchObject({ files: 3, imported: 1, foreign: 1, damaged: 1 });
    const outcome = (id: string) => report?.files.find((f) => f.file === progressFileName(id));
    expect(outcome(longId)).toMatchObject({ outcome: "imported", user_id: longId, user_id_source: "file" });
    expect(outcome(`${otherId}.moved`)).toMatchObject({ outcome: "foreign", reason: expect.stringContaining(progressFileName(otherId)) });
    expect(outcome(`${otherId}.anonymous`)).toMatchObject({ outcome: "damaged", reason: expect.stringMatching(/stores no user_id/) });
    expect((await store.read(longId))?.steps[1]?.data).toEqual({ website: "https://example.com", analysis: { writing_style: { tone: "friendly" } } });
    expect(await store.read(otherId)).toBeNull();
  });

  it("refuses to guess a folder in database mode", async () => {
    const run = await runTestCommand(registerImportFilesCommand, ["import-files"], {
      database: test.database,
      cipher,
      env: { STORAGE_MODE: "database" },
    });
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/STORAGE_MODE=database .* --dir/);
  });
});
