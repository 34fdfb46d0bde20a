import { CompiledQuery, sql, type Insertable, type Kysely } from "kysely";
import type { SessionChildTable } from "./session-child-tables.js";
import type { Tables } from "./tables.js";

/**
 * Bound parameters per statement: under SQLite's limit (32,766) and PostgreSQL's (65,535), so
 * that a batch of any size is split into statements both engines accept.
 */
export const MAX_BOUND_PARAMETERS = 30_000;

// Kysely types each table name separately; these helpers serve all of them, so they build
// their queries on an untyped handle and give typed rows back to the caller.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Untyped = Kysely<any>;

export function inChunks<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

export interface Upsert<T extends keyof Tables> {
  /** The unique columns a row may already exist under. */
  readonly conflict: readonly (keyof Tables[T] & string)[];
  /** What an existing row takes from the new one; the others (created_at, ids) stay as they were. */
  readonly update: readonly (keyof Tables[T] & string)[];
}

/**
 * Inserts many rows with a few statements (see statementSizes); a row that exists under
 * `conflict` is updated instead. Every row must have the same columns; an undefined value is bound as NULL.
 */
export async function upsertRows<T extends keyof Tables>(
  db: Kysely<Tables>,
  table: T,
  rows: readonly Insertable<Tables[T]>[],
  upsert: Upsert<T>,
): Promise<void> {
  for (const statement of upsertStatements(db, table, rows, upsert)) await db.executeQuery(statement);
}

/** The statements of `upsertRows`, compiled and bound, for a caller that runs them its own way (a WriteBatch). */
export function upsertStatements<T extends keyof Tables>(
  db: Kysely<Tables>,
  table: T,
  rows: readonly Insertable<Tables[T]>[],
  upsert: Upsert<T>,
): CompiledQuery[] {
  if (rows.length === 0) return [];
  const columns = Object.keys(rows[0]!);
  const statements: CompiledQuery[] = [];
  let done = 0;
  for (const size of statementSizes(rows.length, Math.floor(MAX_BOUND_PARAMETERS / columns.length))) {
    const parameters: unknown[] = [];
    for (const row of rows.slice(done, done + size) as readonly Record<string, unknown>[]) {
      for (const column of columns) parameters.push(row[column] ?? null);
    }
    done += size;
    statements.push(CompiledQuery.raw(upsertSql(db, table, columns, size, upsert), parameters));
  }
  return statements;
}

/**
 * Rows per statement: powers of two (the largest that fits `max` as often as it fits, then the
 * binary digits of the rest), so that a table sees a dozen statement shapes, not one per batch
 * size, and both the compiled SQL and the prepared statements stay few.
 */
export function statementSizes(count: number, max: number): number[] {
  let largest = 1;
  while (largest * 2 <= max) largest *= 2;
  const sizes: number[] = [];
  let left = count;
  for (; left >= largest; left -= largest) sizes.push(largest);
  for (let size = largest / 2; size >= 1; size /= 2) {
    if (left >= size) {
      sizes.push(size);
      left -= size;
    }
  }
  return sizes;
}

/** Compiled SQL by statement shape, per dialect (Kysely shares one adapter across a database's transactions). */
const sqlCache = new WeakMap<object, Map<string, string>>();

/** The SQL text of one statement shape: Kysely builds and compiles it the first time only. */
function cachedSql(db: Kysely<Tables>, shape: string, compile: () => string): string {
  const adapter = db.getExecutor().adapter;
  const byShape = sqlCache.get(adapter) ?? new Map<string, string>();
  sqlCache.set(adapter, byShape);
  let text = byShape.get(shape);
  if (text === undefined) {
    text = compile();
    byShape.set(shape, text);
  }
  return text;
}

/**
 * The SQL text of an upsert of `rowCount` rows. Kysely builds and compiles it once per shape:
 * building a node per value of every batch cost more than SQLite spent running the statement.
 */
function upsertSql(
  db: Kysely<Tables>,
  table: string,
  columns: readonly string[],
  rowCount: number,
  { conflict, update }: { readonly conflict: readonly string[]; readonly update: readonly string[] },
): string {
  return cachedSql(db, JSON.stringify(["upsert", table, columns, rowCount, conflict, update]), () => {
    const placeholderRow = Object.fromEntries(columns.map((column) => [column, null]));
    const set = Object.fromEntries(update.map((column) => [column, sql.ref(`excluded.${column}`)]));
    return (db as Untyped)
      .insertInto(table)
      .values(Array.from({ length: rowCount }, () => placeholderRow))
      .onConflict((onConflict) => onConflict.columns(conflict).doUpdateSet(set))
      .compile().sql;
  });
}

/** Deletes the sessions' rows of `table`; `others` narrows it (e.g. to providers no longer kept). */
export async function deleteSessionRows(
  db: Kysely<Tables>,
  table: SessionChildTable,
  sessionIds: readonly number[],
  others?: { readonly column: string; readonly notIn: readonly string[] },
): Promise<void> {
  for (const statement of deleteStatements(db, table, sessionIds, others)) await db.executeQuery(statement);
}

/** The statements of `deleteSessionRows`, compiled and bound; each shape is compiled once. */
export function deleteStatements(
  db: Kysely<Tables>,
  table: SessionChildTable,
  sessionIds: readonly number[],
  others?: { readonly column: string; readonly notIn: readonly string[] },
): CompiledQuery[] {
  const notIn = others?.notIn ?? [];
  const room = MAX_BOUND_PARAMETERS - notIn.length;
  return inChunks(sessionIds, Math.max(1, room)).map((chunk) =>
    CompiledQuery.raw(cachedSql(db, JSON.stringify(["delete", table, chunk.length, others?.column, notIn.length]), () => {
      let removal = (db as Untyped).deleteFrom(table).where("session_id", "in", chunk);
      if (others !== undefined && notIn.length > 0) removal = removal.where(others.column, "not in", notIn);
      return removal.compile().sql;
    }), [...chunk, ...notIn]),
  );
}
