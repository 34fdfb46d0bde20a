import { afterAll, describe, expect, it } from "vitest";
import { sql } from "kysely";
import { fromJsonColumn, toIsoTimestamp } from "./column-codecs.js";
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from "../test-support/test-database.js";

describe("toIsoTimestamp", () => {
  it("reads SQLite's zoneless CURRENT_TIMESTAMP text as UTC, whatever the server's time zone", () => {
    const zone = process.env.TZ;
    process.env.TZ = "America/New_York";
    try {
      expect(new Date(2024, 0, 2).getTimezoneOffset()).toBe(300);
      expect(toIsoTimestamp("2024-01-02 10:00:00")).toBe("2024-01-02T10:00:00.000Z");
      expect(toIsoTimestamp("2024-01-02T10:00:00.250")).toBe("2024-01-02T10:00:00.250Z");
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it("keeps an explicit zone", () => {
    expect(toIsoTimestamp("2024-01-02T10:00:00+02:00")).toBe("2024-01-02T08:00:00.000Z");
    expect(toIsoTimestamp(new Date(Date.UTC(2024, 0, 2, 10)))).toBe("2024-01-02T10:00:00.000Z");
  });

  it("names a value that is no timestamp", () => {
    expect(() => toIsoTimestamp("yesterday")).toThrow('not a timestamp: "yesterday"');
  });
});

describe.each(TEST_DIALECTS)("fromJsonColumn on %s", (dialect) => {
  let db: TestDatabase;
  afterAll(async () => db?.cleanup());

  it.each([
    ['{"a":[1,"x"]}', { a: [1, "x"] }],
    ['"just text"', "just text"],
    ['"{not json"', "{not json"],
    ["[]", []],
  ])("reads the JSON %s stored in a JSON column as %j", async (json, expected) => {
    db ??= await openTestDatabase(dialect, { migrate: false });
    const cast = dialect === "postgres" ? sql`cast(${json} as jsonb)` : sql`${json}`;
    const { rows } = await sql<{ value: unknown }>`select ${cast} as value`.execute(db.database.kysely);
    expect(fromJsonColumn(rows[0]?.value)).toEqual(expected);
  });
});
