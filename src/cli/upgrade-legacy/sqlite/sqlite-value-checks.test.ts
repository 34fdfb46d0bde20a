import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLegacyDatabase } from "../../../test-support/legacy/legacy-fixture.js";
import { openTestDatabase, type TestDatabase } from "../../../test-support/test-database.js";
import { CHILD_PLANS, CHILD_TABLES } from "../legacy/legacy-table-plan.js";
import { quoted } from "../shared/quoted.js";
import { countOf } from "../shared/raw-sql.js";
import { runValueChecks } from "./sqlite-value-checks.js";

describe("the checks on legacy values", () => {
  let test: TestDatabase;

  beforeEach(async () => {
    test = await openTestDatabase("sqlite", { migrate: false });
    await createLegacyDatabase(test.database);
  });

  afterEach(async () => {
    await test.cleanup();
  });

  it("count, per column, the values that are not JSON and the values of columns our schema lacks, as SQL counts them", async () => {
    const db = test.database.kysely;
    const connection = new SqliteDatabase(join(test.tempDir, "test.db"), { readonly: true });
    const checks = runValueChecks(connection);
    connection.close();

    for (const table of CHILD_TABLES) {
      for (const column of CHILD_PLANS[table].copied.filter((copied) => copied.kind === "json")) {
        const notJson = await countOf(db, `select count(*) as n from ${quoted(table)} where not json_valid(${quoted(column.name)})`);
        expect(checks.invalidJson[`${table}.${column.name}`], `${table}.${column.name}`).toBe(notJson);
      }
      for (const column of CHILD_PLANS[table].dropped) {
        const held = await countOf(db, `select count(${quoted(column)}) as n from ${quoted(table)}`);
        expect(checks.droppedValues[`${table}.${column}`], `${table}.${column}`).toBe(held);
      }
    }
    // The fixture holds text that is not JSON and values in dropped columns: the figures above are not all zeros.
    expect(Object.values(checks.invalidJson).some((count) => count > 0)).toBe(true);
    expect(Object.values(checks.droppedValues).some((count) => count > 0)).toBe(true);
  });
});
