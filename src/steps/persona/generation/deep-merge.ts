import type { JsonObject, JsonValue } from "../../../onboarding/onboarding-record.js";
import { asObject } from "./json-reading.js";

/**
 * The overlay's values win for every key it provides, at any depth; keys it omits keep the
 * base's value. A null in the overlay counts as "not provided": a model that leaves a field
 * empty must not erase what the inputs established. Arrays are replaced, not concatenated,
 * since a list the model rewrote is meant as the whole list.
 */
export function deepMerge(base: JsonObject, overlay: JsonObject): JsonObject {
  const merged: JsonObject = { ...base };
  for (const [key, value] of Object.entries(overlay)) {
    if (value === null) continue;
    merged[key] = mergeValue(base[key], value);
  }
  return merged;
}

function mergeValue(base: JsonValue | undefined, overlay: JsonValue): JsonValue {
  const baseObject = asObject(base);
  const overlayObject = asObject(overlay);
  return baseObject !== undefined && overlayObject !== undefined ? deepMerge(baseObject, overlayObject) : overlay;
}
