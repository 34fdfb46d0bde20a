import { afterEach, describe, expect, it } from "vitest";
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from "../../test-support/test-database.js";
import { captureIo, cliEnv, needsReachableDatabase } from "../cli-test-support.js";
import { runCli } from "../run-cli.js";
import { query } from "../upgrade-legacy/shared/raw-sql.js";
import { migrateCommand } from "./migrate-command.js";

describe.each(TEST_DIALECTS)("onboarding migrate on %s", async (dialect) => {
  const probe = await openTestDatabase(dialect, { migrate: false });
  const skip = needsReachableDatabase(probe);
  await probe.cleanup();
  let test: TestDatabase;
  afterEach(() => test.cleanup());

  it.skipIf(skip !== undefined)("applies the pending migrations, then says already up to date", async () => {
    test = await openTestDatabase(dialect, { migrate: false });
    const env = cliEnv(test);
    const first = captureIo(env);
    expect(await runCli(["migrate"], first, [migrateCommand])).toBe(0);
    expect(first.stdout()).toMatch(/applied 4 migration\(s\):\n {2}1 initial-schema\n {2}2 persona-tasks\n {2}3 expensive-work\n {2}4 preferred-model-key\nschema version 4\n$/);
    const tables = await query<{ n: number }>(test.database.kysely, "select count(*) as n from schema_migrations");
    expect(Number(tables[0]?.n)).toBe(4);

    const second = captureIo(env);
    expect(await runCli(["migrate"], second, [migrateCommand])).toBe(0);
    expect(second.stdout()).toMatch(/already up to date \(schema version 4\)\n$/);
  });

  it.skipIf(skip !== undefined)("--json prints the migration report", async () => {
    test = await openTestDatabase(dialect, { migrate: false });
    const io = captureIo(cliEnv(test));
    expect(await runCli(["migrate", "--json"], io, [migrateCommand])).toBe(0);
    expect(JSON.parse(io.stdout())).toMatchObject({
      applied: [
        { version: 1, name: "initial-schema" },
        { version: 2, name: "persona-tasks" },
        { version: 3, name: "expensive-work" },
        { version: 4, name: "preferred-model-key" },
      ],
      currentVersion: 4,
    });
  });
});
