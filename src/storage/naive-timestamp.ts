/**
 * The old platform wrote Python's naive `datetime.isoformat()`: no zone, microseconds. We read
 * such a value as UTC and write UTC in the same form, so the old platform can still parse it.
 * Microseconds are kept as text: a Date would round them to milliseconds.
 */
const ISO_PARTS = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]00:?00)?$/i;

export function toNaiveTimestamp(iso: string): string {
  const utc = fromNaiveTimestamp(iso) ?? new Date(iso).toISOString();
  const parts = ISO_PARTS.exec(utc);
  if (parts === null) throw new Error(`not a timestamp: ${iso}`);
  return `${parts[1]}T${parts[2]}.${(parts[3] ?? "").padEnd(6, "0").slice(0, 6)}`;
}

/** Milliseconds as `Date.toISOString` writes them, microseconds only when there are any. */
function canonicalFraction(digits: string): string {
  const micro = digits.padEnd(6, "0").slice(0, 6);
  return micro.endsWith("000") ? micro.slice(0, 3) : micro;
}

/** ISO 8601 in UTC (`…Z`), or null when the value is not a timestamp. */
export function fromNaiveTimestamp(value: string): string | null {
  const parts = ISO_PARTS.exec(value.trim());
  if (parts !== null) {
    const iso = `${parts[1]}T${parts[2]}.${canonicalFraction(parts[3] ?? "")}Z`;
    return Number.isNaN(new Date(iso).getTime()) ? null : iso;
  }
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
