/** JSON with object keys sorted at every level, so that two equal values give one text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== "object" || value === null) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
  return sorted;
}

/**
 * Whether two values read from JSON give one canonical text, without building either: equal
 * primitives, arrays equal item by item, objects with the same keys (ignoring order and keys
 * whose value is undefined, which JSON leaves out) equal key by key. The folder scan compares
 * every step of 100,000 files; two sorted copies and two texts a step was much of its work.
 */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  // Unequal primitives (or one object, one not) are rare: their texts say it, exactly as before.
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return canonicalJson(a) === canonicalJson(b);
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => sameJson(jsonItem(item), jsonItem(b[i])));
  }
  const aKeys = definedKeys(a);
  const bKeys = definedKeys(b);
  if (aKeys.length !== bKeys.length) return false;
  return aKeys.every((key) => Object.hasOwn(b, key) && sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

/** An array item as JSON writes it: undefined becomes null. */
function jsonItem(value: unknown): unknown {
  return value === undefined ? null : value;
}

function definedKeys(value: object): string[] {
  return Object.keys(value).filter((key) => (value as Record<string, unknown>)[key] !== undefined);
}
