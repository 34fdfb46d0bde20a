import { LEGACY_COLUMNS, LEGACY_TABLES } from "./legacy-table-plan.js";

/** Every table of the current schema (SQLite) or search path (PostgreSQL): column name → declared type. */
export type TableColumns = ReadonlyMap<string, ReadonlyMap<string, string>>;

/** One row per column, as both upgraders read them from their database's catalogue. */
export interface ColumnRow {
  readonly table_name: string;
  readonly column_name: string;
  readonly data_type: string;
}

export function tableColumnsOf(rows: readonly ColumnRow[]): TableColumns {
  const tables = new Map<string, Map<string, string>>();
  for (const row of rows) {
    const columns = tables.get(row.table_name) ?? new Map<string, string>();
    columns.set(row.column_name, row.data_type);
    tables.set(row.table_name, columns);
  }
  return tables;
}

export type DatabaseShape =
  | { readonly kind: "legacy" }
  | { readonly kind: "current" }
  | { readonly kind: "empty" }
  | { readonly kind: "unknown"; readonly problems: readonly string[] };

const INTEGER_TYPE = /^(integer|int|int4|int8|bigint)$/i;
const TEXT_TYPE = /^(varchar|character varying|text)\b/i;
/** Tables only our schema has: finding one beside legacy tables means a half-known shape. */
const OURS_ONLY = ["schema_migrations", "step_states", "platform_integrations"];

/** Tells a database of the old platform from one of ours, and refuses anything in between. */
export function classifyShape(tables: TableColumns): DatabaseShape {
  const known = [...LEGACY_TABLES, ...OURS_ONLY].filter((name) => tables.has(name));
  if (known.length === 0) return { kind: "empty" };
  const userIdType = tables.get("onboarding_sessions")?.get("user_id");
  if (tables.has("schema_migrations")) {
    if (userIdType !== undefined && TEXT_TYPE.test(userIdType)) return { kind: "current" };
    return unknown([`schema_migrations exists but onboarding_sessions.user_id is ${userIdType ?? "missing"}`]);
  }
  const problems = [...legacyTableProblems(tables), ...oursOnlyProblems(tables)];
  if (userIdType !== undefined && !INTEGER_TYPE.test(userIdType)) {
    problems.push(`onboarding_sessions.user_id is ${userIdType}, not INTEGER`);
  }
  return problems.length === 0 ? { kind: "legacy" } : unknown(problems);
}

function legacyTableProblems(tables: TableColumns): string[] {
  return LEGACY_TABLES.flatMap((table) => {
    const columns = tables.get(table);
    if (columns === undefined) return [`table ${table} is missing`];
    const expected = LEGACY_COLUMNS[table];
    const missing = expected.filter((column) => !columns.has(column));
    const extra = [...columns.keys()].filter((column) => !expected.includes(column));
    return [
      ...missing.map((column) => `${table}.${column} is missing`),
      ...extra.map((column) => `${table}.${column} is not a column of the old platform (it would be lost)`),
    ];
  });
}

function oursOnlyProblems(tables: TableColumns): string[] {
  return OURS_ONLY.filter((table) => tables.has(table)).map((table) => `table ${table} exists beside legacy tables`);
}

function unknown(problems: string[]): DatabaseShape {
  return { kind: "unknown", problems };
}

export function describeShapeProblems(shape: DatabaseShape): string {
  if (shape.kind === "empty") {
    return "the database has no onboarding tables: nothing to upgrade (run `migrate` to create them)";
  }
  if (shape.kind === "unknown") return `unknown database shape: ${shape.problems.join("; ")}`;
  return shape.kind;
}
