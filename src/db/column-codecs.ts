/** One shape for values that the two drivers return differently. */

export function toIsoTimestamp(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

export function toIsoTimestampOrNull(value: Date | string | null): string | null {
  return value === null ? null : toIsoTimestamp(value);
}

/** jsonb arrives parsed from PostgreSQL and as text from SQLite. Our JSON columns hold objects or arrays only. */
export function fromJsonColumn<T>(value: unknown): T {
  return (typeof value === "string" ? JSON.parse(value) : value) as T;
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
