import { sql, type RawBuilder } from "kysely";
import type { SqlDialect } from "./database.js";

type ColumnTypeName = "json" | "timestamp" | "boolean" | "serial";

/**
 * Migrations are written once for both engines; only these column types differ. SQLite gets
 * TEXT for JSON on purpose: a declared type such as "json" has NUMERIC affinity there, which
 * would turn the JSON text `42` into the integer 42.
 */
export function columnType(dialect: SqlDialect, name: ColumnTypeName): RawBuilder<unknown> {
  const types: Record<SqlDialect, Record<ColumnTypeName, string>> = {
    sqlite: { json: "text", timestamp: "text", boolean: "integer", serial: "integer" },
    postgres: { json: "jsonb", timestamp: "timestamptz", boolean: "boolean", serial: "serial" },
  };
  return sql.raw(types[dialect][name]);
}
