import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLegacyDatabase, insertLegacyRows } from "../../../test-support/legacy/legacy-fixture.js";
import { openTestDatabase, type TestDatabase } from "../../../test-support/test-database.js";
import { LEGACY_TABLES } from "../legacy/legacy-table-plan.js";
import { quoted } from "../shared/quoted.js";
import { countOf, query } from "../shared/raw-sql.js";
import { prescanLegacyTables } from "./sqlite-prescan.js";

function prescanOf(path: string) {
  const connection = new SqliteDatabase(path, { readonly: true });
  try {
    return prescanLegacyTables(connection);
  } finally {
    connection.close();
  }
}

describe("the prescan beside the SQLite backup", () => {
  let test: TestDatabase;
  const path = () => join(test.tempDir, "test.db");

  beforeEach(async () => {
    test = await openTestDatabase("sqlite", { migrate: false });
    await createLegacyDatabase(test.database);
  });

  afterEach(async () => {
    await test.cleanup();
  });

  it("counts what SQL counts on the same file: rows, integer and text user ids", async () => {
    const db = test.database.kysely;
    const prescan = prescanOf(path());

    for (const table of LEGACY_TABLES) {
      expect(prescan.rowCounts[table], table).toBe(await countOf(db, `select count(*) as n from ${quoted(table)}`));
    }
    const integers = await countOf(db, "select count(*) as n from onboarding_sessions where typeof(user_id) = 'integer'");
    // The one suspect is the fixture's id beyond ASCII, which userIdProblem then clears (upgrade-legacy.test.ts keeps it).
    const beyondAscii = await countOf(db, "select count(*) as n from onboarding_sessions where typeof(user_id) = 'text' and user_id glob '*[^ -~]*'");
    expect(beyondAscii).toBe(1);
    expect(prescan.userIds).toEqual({ integers, suspects: beyondAscii, total: prescan.rowCounts.onboarding_sessions });
  });

  it("counts a user id with a control character as a suspect, beside the fixture's one beyond ASCII", async () => {
    await insertLegacyRows(test.database, "onboarding_sessions", [{ id: 9_001, user_id: "user_\u0007bell" }]);
    const prescan = prescanOf(path());
    expect(prescan.userIds.suspects).toBe(2);
  });

  it("names exactly the sessions that some api_keys row names", async () => {
    const db = test.database.kysely;
    const prescan = prescanOf(path());
    const named = new Set((await query<{ id: number }>(db, "select distinct session_id as id from api_keys where session_id is not null")).map((row) => Number(row.id)));
    const highest = await countOf(db, "select max(id) as n from onboarding_sessions");
    const found = Array.from({ length: highest + 1 }, (_, id) => id).filter((id) => prescan.sessionsWithKeys?.has(id));
    expect(found).toEqual([...named].filter((id) => id <= highest).sort((a, b) => a - b));
    expect(found.length).toBeGreaterThan(0);
  });

  it("gives no set of sessions with keys when session ids go beyond its bound", async () => {
    await insertLegacyRows(test.database, "onboarding_sessions", [{ id: 2 ** 26 + 1, user_id: "user_far" }]);
    expect(prescanOf(path()).sessionsWithKeys).toBeUndefined();
  });

});
