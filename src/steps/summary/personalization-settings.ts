import type { JsonObject, JsonValue } from "../../onboarding/onboarding-record.js";

export interface PersonaView {
  corePersona: JsonObject;
  platformPersonas: JsonObject;
  qualityMetrics: JsonObject;
  selectedPlatforms: string[];
}

/** The old platform's Step 6 block: three sentences a person reads, and the persona itself. */
export interface PersonalizationSettings {
  writing_style: string;
  tone: string;
  brand_voice: string;
  persona: PersonaView;
}

/**
 * Read from the saved persona first (it was built from the analysis, and the user may have edited
 * it), then from the website analysis; a value neither has is "". Null without a step 4 persona:
 * the old client then reports persona generation as missing, which it is.
 */
export function personalizationSettings(persona: PersonaView | null, analysis: JsonObject | null): PersonalizationSettings | null {
  if (persona === null) return null;
  const core = persona.corePersona;
  const style = objectAt(analysis, "writing_style");
  return {
    writing_style: describe(style, ["tone"]) || describe(pick(objectAt(core, "tone"), ["formality"])) || textAt(core, "vocabulary_level"),
    tone: textAt(objectAt(core, "tone"), "default_tone") || textAt(core, "tone") || textAt(style, "tone"),
    brand_voice:
      textAt(core, "brand_voice_description") ||
      textAt(objectAt(core, "voice"), "description") ||
      textAt(objectAt(analysis, "brand_analysis"), "brand_voice"),
    persona,
  };
}

function objectAt(source: JsonObject | null, key: string): JsonObject | null {
  const value = source?.[key];
  return typeof value === "object" && value !== null && !Array.isArray(value) ? value : null;
}

function textAt(source: JsonObject | null, key: string): string {
  return textOf(source?.[key]);
}

function textOf(value: JsonValue | undefined): string {
  if (typeof value === "string") return value.trim();
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return "";
}

function pick(source: JsonObject | null, keys: readonly string[]): JsonObject | null {
  if (source === null) return null;
  return Object.fromEntries(keys.filter((key) => key in source).map((key) => [key, source[key] as JsonValue]));
}

/** "voice: active; complexity: moderate": the object's plain values, in its own order. */
function describe(source: JsonObject | null, except: readonly string[] = []): string {
  if (source === null) return "";
  return Object.entries(source)
    .filter(([key]) => !except.includes(key))
    .map(([key, value]) => [key.replaceAll("_", " "), textOf(value)] as const)
    .filter(([, text]) => text !== "")
    .map(([key, text]) => `${key}: ${text}`)
    .join("; ");
}
