import { sql, type Insertable, type Kysely, type Selectable } from "kysely";
import type { Tables } from "./tables.js";

/**
 * Bound parameters per statement: under SQLite's limit (32,766) and PostgreSQL's (65,535), so
 * that a batch of any size is split into statements both engines accept.
 */
export const MAX_BOUND_PARAMETERS = 30_000;

/** The tables whose rows belong to one onboarding session. */
export type SessionChildTable = Exclude<keyof Tables, "onboarding_sessions" | "schema_migrations">;

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
 * Inserts many rows with one statement per chunk; a row that exists under `conflict` is
 * updated instead. Every row must have the same columns, none undefined.
 */
export async function upsertRows<T extends keyof Tables>(
  db: Kysely<Tables>,
  table: T,
  rows: readonly Insertable<Tables[T]>[],
  { conflict, update }: Upsert<T>,
): Promise<void> {
  if (rows.length === 0) return;
  const perStatement = Math.max(1, Math.floor(MAX_BOUND_PARAMETERS / Object.keys(rows[0]!).length));
  const set = Object.fromEntries(update.map((column) => [column, sql.ref(`excluded.${column}`)]));
  for (const chunk of inChunks(rows, perStatement)) {
    await (db as Untyped)
      .insertInto(table as string)
      .values(chunk)
      .onConflict((onConflict) => onConflict.columns(conflict).doUpdateSet(set))
      .execute();
  }
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
