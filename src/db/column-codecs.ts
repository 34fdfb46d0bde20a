/** One shape for values that the two drivers return differently. */

// SQLite's CURRENT_TIMESTAMP (the legacy default) writes UTC without a zone: `2024-01-02 10:00:00`.
const ZONELESS_TIMESTAMP = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/;

// What `Date.prototype.toISOString` writes, which is how we store every timestamp: already the answer.
const ISO_UTC_MILLISECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Zoneless text is UTC, as SQLite writes it; `new Date` alone would read it in the server's local time zone. */
export function toIsoTimestamp(value: Date | string): string {
  if (value instanceof Date) return value.toISOString();
  if (ISO_UTC_MILLISECONDS.test(value)) return value;
  const parsed = new Date(ZONELESS_TIMESTAMP.test(value) ? `${value.replace(" ", "T")}Z` : value);
  if (Number.isNaN(parsed.getTime())) throw new RangeError(`not a timestamp: ${JSON.stringify(value.slice(0, 40))}`);
  return parsed.toISOString();
}

export function toIsoTimestampOrNull(value: Date | string | null): string | null {
  return value === null ? null : toIsoTimestamp(value);
}

/**
 * jsonb arrives parsed from PostgreSQL and as text from SQLite, so a string may be either JSON
 * text or a jsonb string value (an upgraded legacy row can hold one). Text that is not JSON can
 * only be the latter, and is returned as it is rather than failing the whole read.
 */
export function fromJsonColumn<T>(value: unknown): T {
  if (typeof value !== "string") return value as T;
  try {
    return JSON.parse(value) as T;
  } catch {
    return value as T;
  }
}

export function fromNullableJsonColumn<T>(value: unknown): T | null {
  return value === null || value === undefined ? null : fromJsonColumn<T>(value);
}

export function toJsonColumn(value: unknown): string {
  return JSON.stringify(value);
}

export function toNullableJsonColumn(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

/** better-sqlite3 cannot bind booleans; PostgreSQL reads '1' and '0' as booleans. */
export function toFlag(value: boolean): number {
  return value ? 1 : 0;
}

export function fromFlag(value: boolean | number): boolean {
  return value === true || value === 1;
}
