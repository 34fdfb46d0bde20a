import type { CopiedColumn, Fill } from "../legacy/legacy-table-plan.js";
import { quoted } from "../shared/quoted.js";
import { TALLY_FUNCTION } from "./sqlite-tallies.js";

/** SQLite expressions that turn one legacy column (alias `c`) into ours. */

/** Our tables are built beside the legacy ones under this suffix, then renamed over them. */
export function fresh(table: string): string {
  return `${table}__upgrade`;
}

const CONSTANTS: Readonly<Record<Extract<Fill, { constant: string }>["constant"], string>> = {
  one: "1",
  zero: "0",
  true: "1",
  completed: "'completed'",
  "empty-array": "'[]'",
};

/** The session a child row ends up in: its own, or the survivor its session merged into. */
export function targetSession(alias: string): string {
  return `coalesce(m.survivor_id, ${alias}.session_id)`;
}

/**
 * Legacy timestamps are text in mixed forms ('2024-01-02 03:04:05', ISO with T and fractions);
 * julianday() compares them as times, the text breaks ties, the id decides the rest.
 */
export function newestFirst(alias: string): string {
  return `julianday(${alias}.updated_at) desc nulls last, ${alias}.updated_at desc nulls last, ${alias}.id desc`;
}

/**
 * The expression that gives our column its value. Rows that need a fill value pass through
 * TALLY_FUNCTION, so the report counts exactly the rows copied without a second pass over the
 * tables. JSON columns copy as they are: text that is not JSON is quoted afterwards, in the few
 * columns that hold any (quoteInvalidJsonSql).
 */
export function copiedExpression(table: string, column: CopiedColumn, now: string, countOnlyIf?: string): string {
  const value = `c.${quoted(column.name)}`;
  const call = (kind: string, sql: string) => `${TALLY_FUNCTION}('${kind}', '${table}.${column.name}', ${sql})`;
  // Rows copied only for a later check to remove are not counted; the condition is evaluated for
  // the few rows that need a fill, not for every row.
  const tally = (kind: string, sql: string) => (countOnlyIf === undefined ? call(kind, sql) : `case when ${countOnlyIf} then ${call(kind, sql)} else ${sql} end`);
  const missing = column.fill === undefined ? `${value} is null then null` : `${isMissing(column)} then ${tally("filled", fillSql(column.fill, now))}`;
  switch (column.kind) {
    case "plain":
    case "timestamp":
    case "json":
      return column.fill === undefined ? value : `case when ${missing} else ${value} end`;
    case "flag":
      return `case when ${missing} when ${value} in (1, '1', 'true', 'True', 'TRUE', 't') then 1 else 0 end`;
  }
}

/**
 * Keeps what is not JSON in one of our JSON columns as a JSON string of its text, counted. Run on
 * the rows that stay (orphans gone), so the count is of kept rows. A declared JSON column of the
 * old platform has NUMERIC affinity: JSON text 42 was stored as the integer 42, which our TEXT
 * column turned back into '42', and that is JSON.
 */
export function quoteInvalidJsonSql(table: string, column: string): string {
  const value = quoted(column);
  return `update ${quoted(table)} set ${value} = ${TALLY_FUNCTION}('invalidJsonQuoted', '${table}.${column}', json_quote(${value}))
    where ${value} is not null and not json_valid(${value})`;
}

/** NULL, and for a required JSON column also the JSON text null. */
function isMissing(column: CopiedColumn): string {
  const value = `c.${quoted(column.name)}`;
  return column.kind === "json" && column.fill !== undefined ? `(${value} is null or ${value} = 'null')` : `${value} is null`;
}

function fillSql(fill: Fill, now: string): string {
  if ("constant" in fill) return CONSTANTS[fill.constant];
  const others = fill.otherwise.map((name) => `c.${quoted(name)}`);
  return `coalesce(${[...others, `'${now.replaceAll("'", "''")}'`].join(", ")})`;
}
