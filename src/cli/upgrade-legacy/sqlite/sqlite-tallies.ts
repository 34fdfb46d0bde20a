import type SqliteDatabase from "better-sqlite3";
import { filledColumns, LEGACY_TABLES, planOf } from "../legacy/legacy-table-plan.js";
import type { RebuildOutcome } from "../legacy-upgrader.js";

/** Called as tally(kind, name, value) in SQL: counts the row under `kind` and `name` (`table.column`) and returns `value`. */
export const TALLY_FUNCTION = "upgrade_tally";

export type Tallies = Pick<RebuildOutcome, "filled" | "invalidJsonQuoted">;

/**
 * TALLY_FUNCTION on one connection and what it has counted, so that the INSERT … SELECT that
 * fills or quotes a value also counts it, without a second pass over the table. The upgrade's
 * thread and the key sealing thread each keep one; the first adds what the second counted.
 */
export class SqliteTallies {
  readonly #counts = { filled: zeros(filledColumns()), invalidJsonQuoted: zeros(jsonColumns()) };

  constructor(connection: SqliteDatabase.Database) {
    connection.function(TALLY_FUNCTION, { deterministic: false }, (kind, name, value) => {
      const tally: Record<string, number> = kind === "filled" ? this.#counts.filled : this.#counts.invalidJsonQuoted;
      tally[String(name)] = (tally[String(name)] ?? 0) + 1;
      return value;
    });
  }

  /** A copy of what has been counted so far. */
  counted(): Tallies {
    return { filled: { ...this.#counts.filled }, invalidJsonQuoted: { ...this.#counts.invalidJsonQuoted } };
  }

  /** Adds what the same SQL counted elsewhere (on the key sealing thread). */
  add(counted: Tallies): void {
    addTo(this.#counts.filled, counted.filled);
    addTo(this.#counts.invalidJsonQuoted, counted.invalidJsonQuoted);
  }

  /** Forgets what one table's discarded copy counted since `snapshot`; other tables' counts stand. */
  restore(table: string, snapshot: Tallies): void {
    restoreTable(this.#counts.filled, snapshot.filled, table);
    restoreTable(this.#counts.invalidJsonQuoted, snapshot.invalidJsonQuoted, table);
  }
}

function restoreTable(counts: Record<string, number>, snapshot: Readonly<Record<string, number>>, table: string): void {
  for (const name of Object.keys(counts)) if (name.startsWith(`${table}.`)) counts[name] = snapshot[name] ?? 0;
}

function addTo(counts: Record<string, number>, counted: Readonly<Record<string, number>>): void {
  for (const [name, count] of Object.entries(counted)) counts[name] = (counts[name] ?? 0) + count;
}

function zeros(names: readonly string[]): Record<string, number> {
  return Object.fromEntries(names.map((name) => [name, 0]));
}

function jsonColumns(): string[] {
  return LEGACY_TABLES.flatMap((table) =>
    planOf(table)
      .copied.filter((column) => column.kind === "json")
      .map((column) => `${table}.${column.name}`),
  );
}
