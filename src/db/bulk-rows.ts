import { CompiledQuery, sql, type Insertable, type Kysely, type Selectable } from "kysely";
import type { Tables } from "./tables.js";

/**
 * Bound parameters per statement: under SQLite's limit (32,766) and PostgreSQL's (65,535), so
 * that a batch of any size is split into statements both engines accept.
 */
export const MAX_BOUND_PARAMETERS = 30_000;

/** The tables whose rows belong to one onboarding session. */
export type SessionChildTable = Exclude<keyof Tables, "onboarding_sessions" | "schema_migrations" | "persona_tasks">;

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
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  let done = 0;
  for (const size of statementSizes(rows.length, Math.floor(MAX_BOUND_PARAMETERS / columns.length))) {
    const parameters: unknown[] = [];
    for (const row of rows.slice(done, done + size) as readonly Record<string, unknown>[]) {
      for (const column of columns) parameters.push(row[column] ?? null);
    }
    done += size;
    await db.executeQuery(CompiledQuery.raw(upsertSql(db, table, columns, size, upsert), parameters));
  }
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
const upsertSqlCache = new WeakMap<object, Map<string, string>>();

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
  const byShape = upsertSqlCache.get(db.getExecutor().adapter) ?? new Map<string, string>();
  upsertSqlCache.set(db.getExecutor().adapter, byShape);
  const shape = JSON.stringify([table, columns, rowCount, conflict, update]);
  let text = byShape.get(shape);
  if (text === undefined) {
    const placeholderRow = Object.fromEntries(columns.map((column) => [column, null]));
    const set = Object.fromEntries(update.map((column) => [column, sql.ref(`excluded.${column}`)]));
    text = (db as Untyped)
      .insertInto(table)
      .values(Array.from({ length: rowCount }, () => placeholderRow))
      .onConflict((onConflict) => onConflict.columns(conflict).doUpdateSet(set))
      .compile().sql;
    byShape.set(shape, text);
  }
  return text;
}

/** Every row of `table` that belongs to one of the sessions. */
export async function selectSessionRows<T extends SessionChildTable>(
  db: Kysely<Tables>,
  table: T,
  sessionIds: readonly number[],
): Promise<Selectable<Tables[T]>[]> {
  const rows: Selectable<Tables[T]>[] = [];
  for (const chunk of inChunks(sessionIds, MAX_BOUND_PARAMETERS)) {
    rows.push(...((await (db as Untyped).selectFrom(table).selectAll().where("session_id", "in", chunk).execute()) as Selectable<Tables[T]>[]));
  }
  return rows;
}

/** Deletes the sessions' rows of `table`; `others` narrows it (e.g. to providers no longer kept). */
export async function deleteSessionRows(
  db: Kysely<Tables>,
  table: SessionChildTable,
  sessionIds: readonly number[],
  others?: { readonly column: string; readonly notIn: readonly string[] },
): Promise<void> {
  const room = MAX_BOUND_PARAMETERS - (others?.notIn.length ?? 0);
  for (const chunk of inChunks(sessionIds, Math.max(1, room))) {
    let removal = (db as Untyped).deleteFrom(table).where("session_id", "in", chunk);
    if (others !== undefined && others.notIn.length > 0) removal = removal.where(others.column, "not in", others.notIn);
    await removal.execute();
  }
}

/** Groups rows by their session, keeping their order within each. */
export function bySession<R extends { session_id: number }>(rows: readonly R[]): Map<number, R[]> {
  const groups = new Map<number, R[]>();
  for (const row of rows) {
    const group = groups.get(row.session_id);
    if (group === undefined) groups.set(row.session_id, [row]);
    else group.push(row);
  }
  return groups;
}
