import type { JsonObject, JsonValue } from "../../../onboarding/onboarding-record.js";

/**
 * Defensive readers for step data whose inner keys are free-form: an analysis written by the
 * model, by our own engine, by the old platform or by hand. A missing or oddly typed value
 * reads as absent, never as an error.
 */

export function asObject(value: JsonValue | undefined): JsonObject | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? value : undefined;
}

/** A value found at a dotted path such as `sentence_length.average`. */
export function valueAt(source: JsonObject | undefined, path: string): JsonValue | undefined {
  let current: JsonValue | undefined = source;
  for (const key of path.split(".")) {
    current = asObject(current)?.[key];
  }
  return current;
}

export function textOf(value: JsonValue | undefined): string | undefined {
  if (typeof value === "string") return value.trim() === "" ? undefined : value.trim();
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (Array.isArray(value)) {
    const parts = listOf(value);
    return parts.length === 0 ? undefined : parts.join(", ");
  }
  return undefined;
}

/** The first path that holds text, so one reader serves every known spelling of a field. */
export function firstText(source: JsonObject | undefined, paths: readonly string[]): string | undefined {
  for (const path of paths) {
    const text = textOf(valueAt(source, path));
    if (text !== undefined) return text;
  }
  return undefined;
}

/** Strings of a list; items that are objects contribute their name-like field (topics often come as {term, count}). */
export function listOf(value: JsonValue | undefined): string[] {
  if (typeof value === "string") return value.split(/[,;\n]/).map((part) => part.trim()).filter((part) => part !== "");
  if (!Array.isArray(value)) return [];
  return value.map(itemText).filter((item): item is string => item !== undefined);
}

export function firstList(source: JsonObject | undefined, paths: readonly string[]): string[] {
  for (const path of paths) {
    const list = listOf(valueAt(source, path));
    if (list.length > 0) return list;
  }
  return [];
}

/** A number, or the first number inside a string such as "Grade 8" or "18 words". */
export function numberOf(value: JsonValue | undefined): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value : undefined;
  if (typeof value !== "string") return undefined;
  const match = /-?\d+(?:\.\d+)?/.exec(value);
  return match === null ? undefined : Number(match[0]);
}

export function firstNumber(source: JsonObject | undefined, paths: readonly string[]): number | undefined {
  for (const path of paths) {
    const found = numberOf(valueAt(source, path));
    if (found !== undefined) return found;
  }
  return undefined;
}

/** What counts as "present" for completeness: something a persona could be built from. */
export function isFilled(value: JsonValue | undefined): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === "string") return value.trim() !== "";
  if (Array.isArray(value)) return value.some(isFilled);
  if (typeof value === "object") return Object.values(value).some(isFilled);
  return true;
}

function itemText(item: JsonValue): string | undefined {
  if (typeof item === "string") return item.trim() === "" ? undefined : item.trim();
  if (typeof item === "number") return String(item);
  const object = asObject(item);
  if (object === undefined) return undefined;
  for (const key of ["name", "term", "topic", "label", "value", "title"]) {
    const text = object[key];
    if (typeof text === "string" && text.trim() !== "") return text.trim();
  }
  return undefined;
}
