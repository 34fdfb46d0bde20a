import { readdirSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { createLegacyDatabase } from "../../test-support/legacy/legacy-fixture.js";
import { insertBadRow } from "../../test-support/legacy/upgrade-test-support.js";
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from "../../test-support/test-database.js";
import { captureIo, cliEnv, dropBackupSchemas, needsReachableDatabase } from "../cli-test-support.js";
import { runCli } from "../run-cli.js";
import { upgradeLegacyCommand } from "./upgrade-legacy-command.js";

const run = (args: string[], env: Record<string, string>) => {
  const io = captureIo(env);
  return runCli(args, io, [upgradeLegacyCommand]).then((code) => ({ code, stdout: io.stdout(), stderr: io.stderr() }));
};

describe.each(TEST_DIALECTS)("onboarding upgrade-legacy on %s", async (dialect) => {
  const probe = await openTestDatabase(dialect, { migrate: false });
  const skip = needsReachableDatabase(probe);
  await probe.cleanup();
  let test: TestDatabase;

  afterEach(async () => {
    await dropBackupSchemas(test);
    await test.cleanup();
  });

  it.skipIf(skip !== undefined)(`prints counts, merges and the backup with its remove command, then "already up to date"`, async () => {
    test = await openTestDatabase(dialect, { migrate: false });
    await createLegacyDatabase(test.database);
    const env = cliEnv(test);
    const first = await run(["upgrade-legacy"], env);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/onboarding_sessions +7 → 5/);
    expect(first.stdout).toContain('user "42": sessions 1, 3, 6 → survivor 1');
    expect(first.stdout).toContain("api keys encrypted: 6");
    expect(first.stdout).toMatch(dialect === "sqlite" ? /rm -- '.+\.legacy-backup-\d{8}T\d{9}Z\.db'/ : /DROP SCHEMA "legacy_backup_\w+" CASCADE;/);
    expect(first.stdout).not.toContain("sk-openai-new-2222");

    const second = await run(["upgrade-legacy"], env);
    expect(second).toMatchObject({ code: 0, stderr: "" });
    expect(second.stdout).toMatch(/already up to date \(schema version 4\)\n$/);
  });

  it.skipIf(skip !== undefined)("--json prints the same report as JSON", async () => {
    test = await openTestDatabase(dialect, { migrate: false });
    await createLegacyDatabase(test.database);
    const { code, stdout } = await run(["upgrade-legacy", "--json"], cliEnv(test));
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({
      status: "upgraded",
      backup: { kind: dialect === "sqlite" ? "sqlite-file" : "postgres-schema" },
      result: { merges: [{ userId: "42", sessions: [1, 3, 6], survivor: 1 }], keysEncrypted: 6, stepStatesCreated: 15 },
      migrations: {
        applied: [
          { version: 1, name: "initial-schema" },
          { version: 2, name: "persona-tasks" },
          { version: 3, name: "expensive-work" },
          { version: 4, name: "preferred-model-key" },
        ],
        currentVersion: 4,
      },
    });
    expect(report.result.after).toMatchObject({ onboarding_sessions: 5, api_keys: 6, step_states: 15 });
  });

  it.skipIf(skip !== undefined)("exits 1 naming the backup when the upgrade fails, and leaves the database as it was", async () => {
    test = await openTestDatabase(dialect, { migrate: false });
    await createLegacyDatabase(test.database);
    await insertBadRow(test);
    const backupDir = `${test.tempDir}/backups`;
    const args = dialect === "sqlite" ? ["upgrade-legacy", "--backup-dir", backupDir] : ["upgrade-legacy"];
    const { code, stdout, stderr } = await run(args, cliEnv(test));
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toContain("upgrade-legacy failed");
    expect(stderr).toContain("The database is unchanged: the transaction rolled back.");
    if (dialect === "sqlite") {
      const [backup] = readdirSync(backupDir);
      expect(stderr).toContain(`rm -- '${backupDir}/${backup}'`);
    } else {
      expect(stderr).toMatch(/backup schema: legacy_backup_/);
    }
    const tables = await test.database.kysely.introspection.getTables();
    expect(tables.some((table) => table.name === "schema_migrations" && table.schema === (test.schema ?? table.schema))).toBe(false);
  });

  it.skipIf(skip !== undefined)("refuses a database without onboarding tables with exit 1 and no backup", async () => {
    test = await openTestDatabase(dialect, { migrate: false });
    const { code, stdout } = await run(["upgrade-legacy", "--json"], cliEnv(test));
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ status: "refused", error: expect.stringMatching(/nothing to upgrade/) });
    if (dialect === "sqlite") expect(readdirSync(test.tempDir).filter((name) => name.includes("legacy-backup"))).toEqual([]);
  });
});
