import type { JsonObject, JsonValue } from "../../../onboarding/onboarding-record.js";

/** Bounds on what a model may put into a stored analysis, so one answer cannot bloat a row. */
const MAX_DEPTH = 6;
const MAX_ITEMS = 50;
const MAX_STRING = 2000;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

/**
 * Text as every store accepts it: PostgreSQL rejects NUL in JSON and any lone surrogate, and
 * both arrive from pages (`&#0;` decodes to one) and from model answers alike.
 */
export function cleanText(text: string): string {
  return text.replace(CONTROL, "").replace(LONE_SURROGATE, "\uFFFD");
}

/** A copy of a JSON object with clean text, bounded depth, lengths and counts. */
export function cleanJsonObject(value: JsonObject, depth = 0): JsonObject {
  const entries = Object.entries(value).slice(0, MAX_ITEMS);
  return Object.fromEntries(entries.map(([key, item]) => [cleanText(key).slice(0, 100), cleanJson(item, depth + 1)]));
}

function cleanJson(value: JsonValue, depth: number): JsonValue {
  if (typeof value === "string") return cleanText(value).slice(0, MAX_STRING);
  if (typeof value !== "object" || value === null) return value;
  if (depth >= MAX_DEPTH) return null;
  if (Array.isArray(value)) return value.slice(0, MAX_ITEMS).map((item) => cleanJson(item, depth + 1));
  return cleanJsonObject(value, depth);
}
