/**
 * Timestamps from files carry microseconds, the database gives milliseconds back: comparing
 * text would call one instant two. These compare at millisecond precision.
 */
export function instantOf(timestamp: string): number {
  const instant = Date.parse(timestamp);
  if (Number.isNaN(instant)) throw new Error(`not a timestamp: ${timestamp}`);
  return instant;
}

export function sameInstant(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  return instantOf(a) === instantOf(b);
}

export function isLater(a: string, b: string): boolean {
  return instantOf(a) > instantOf(b);
}

/** The earlier of two timestamps, keeping `a`'s text when they are one instant. */
export function earlier(a: string, b: string): string {
  return isLater(a, b) ? b : a;
}

export function later(a: string, b: string): string {
  return isLater(b, a) ? b : a;
}
