import { describe, expect, it } from "vitest";
import { classifyShape, type TableColumns } from "./legacy-shape.js";
import { LEGACY_COLUMNS, LEGACY_TABLES } from "./legacy-table-plan.js";

function legacyTables(userIdType = "INTEGER"): Map<string, Map<string, string>> {
  const tables = new Map<string, Map<string, string>>();
  for (const table of LEGACY_TABLES) {
    tables.set(table, new Map(LEGACY_COLUMNS[table].map((column) => [column, column.endsWith("id") ? "INTEGER" : "TEXT"])));
  }
  tables.get("onboarding_sessions")?.set("user_id", userIdType);
  return tables;
}

describe("classifyShape", () => {
  it("recognises the old platform's tables on SQLite and PostgreSQL", () => {
    expect(classifyShape(legacyTables("INTEGER"))).toEqual({ kind: "legacy" });
    expect(classifyShape(legacyTables("int4"))).toEqual({ kind: "legacy" });
  });

  it("recognises our schema by its ledger and text user ids", () => {
    const ours: TableColumns = new Map([
      ["schema_migrations", new Map([["version", "integer"]])],
      ["onboarding_sessions", new Map([["user_id", "varchar(255)"]])],
    ]);
    expect(classifyShape(ours)).toEqual({ kind: "current" });
  });

  it("calls a database without onboarding tables empty, whatever else it holds", () => {
    expect(classifyShape(new Map([["unrelated", new Map([["id", "integer"]])]]))).toEqual({ kind: "empty" });
  });

  it("names every difference of an unknown shape", () => {
    const tables = legacyTables();
    tables.get("api_keys")?.delete("key");
    tables.get("persona_data")?.set("mood", "TEXT");
    tables.delete("research_preferences");
    tables.set("platform_integrations", new Map());
    expect(classifyShape(tables)).toEqual({
      kind: "unknown",
      problems: [
        "api_keys.key is missing",
        "table research_preferences is missing",
        "persona_data.mood is not a column of the old platform (it would be lost)",
        "table platform_integrations exists beside legacy tables",
      ],
    });
  });

  it("refuses text user ids without a ledger, and a ledger with integer user ids", () => {
    expect(classifyShape(legacyTables("VARCHAR(255)"))).toMatchObject({
      kind: "unknown",
      problems: ["onboarding_sessions.user_id is VARCHAR(255), not INTEGER"],
    });
    const half = legacyTables("int4");
    half.set("schema_migrations", new Map());
    expect(classifyShape(half)).toMatchObject({ kind: "unknown", problems: ["schema_migrations exists but onboarding_sessions.user_id is int4"] });
  });
});
