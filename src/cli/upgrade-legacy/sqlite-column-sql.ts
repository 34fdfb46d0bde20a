import type { CopiedColumn, Fill, TablePlan } from "./legacy-table-plan.js";
import { quoted } from "./raw-sql.js";

/** SQLite expressions that turn one legacy column (alias `c`) into ours. */

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

export function copiedExpression(column: CopiedColumn, now: string): string {
  const value = `c.${quoted(column.name)}`;
  const fill = column.fill === undefined ? "null" : fillSql(column.fill, now);
  switch (column.kind) {
    case "plain":
    case "timestamp":
      return column.fill === undefined ? value : `coalesce(${value}, ${fill})`;
    case "flag":
      return `case when ${value} is null then ${fill} when ${value} in (1, '1', 'true', 'True', 'TRUE', 't') then 1 else 0 end`;
    case "json":
      // A declared JSON column has NUMERIC affinity: JSON text 42 was stored as the integer 42,
      // which our TEXT column turns back into '42'. Text that is not JSON is kept as a JSON string.
      return `case when ${isMissing(column)} then ${fill} when json_valid(${value}) then ${value} else json_quote(${value}) end`;
  }
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

export interface AuditCheck {
  readonly tally: "filled" | "invalidJsonQuoted" | "droppedValues";
  readonly column: string;
  /** True for a legacy row (alias `c`) that the tally counts. */
  readonly condition: string;
}

export function auditColumns(plan: TablePlan): AuditCheck[] {
  const filled = plan.copied
    .filter((column) => column.fill !== undefined)
    .map((column): AuditCheck => ({ tally: "filled", column: column.name, condition: isMissing(column) }));
  const json = plan.copied
    .filter((column) => column.kind === "json")
    .map((column): AuditCheck => {
      const value = `c.${quoted(column.name)}`;
      return { tally: "invalidJsonQuoted", column: column.name, condition: `${value} is not null and not json_valid(${value})` };
    });
  const dropped = plan.dropped.map(
    (column): AuditCheck => ({ tally: "droppedValues", column, condition: `c.${quoted(column)} is not null` }),
  );
  return [...filled, ...json, ...dropped];
}

