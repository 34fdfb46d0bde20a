import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { LEGACY_POSTGRES_SCHEMA, LEGACY_SQLITE_SCHEMA } from "./legacy-schema-sql.js";

/** The contract's copy of the legacy schema sits beside the repository (../shared), when it is checked out. */
const SHARED_SCHEMA = fileURLToPath(new URL("../../../../shared/legacy/alwrity-schema.sql", import.meta.url));

const normalise = (text: string) =>
  text
    .split("\n")
    .filter((line) => !line.trim().startsWith("--"))
    .join("\n")
    .replace(/\s+/g, " ")
    .trim();

describe("legacy schema SQL", () => {
  it.skipIf(!existsSync(SHARED_SCHEMA))("is a verbatim copy of shared/legacy/alwrity-schema.sql", () => {
    expect(normalise(LEGACY_SQLITE_SCHEMA)).toBe(normalise(readFileSync(SHARED_SCHEMA, "utf8")));
  });

  it("has the PostgreSQL shape the schema file describes: int4 ids, json, timestamps, boolean defaults", () => {
    expect(LEGACY_POSTGRES_SCHEMA).toContain("user_id INTEGER NOT NULL");
    expect(LEGACY_POSTGRES_SCHEMA).toContain("content_types JSON NOT NULL");
    expect(LEGACY_POSTGRES_SCHEMA).toContain("auto_research BOOLEAN DEFAULT TRUE");
    expect(LEGACY_POSTGRES_SCHEMA).not.toMatch(/AUTOINCREMENT|DATETIME|BOOLEAN DEFAULT 1/);
  });
});
