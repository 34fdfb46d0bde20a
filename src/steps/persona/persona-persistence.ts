import { fromNullableJsonColumn, toJsonColumn } from "../../db/column-codecs.js";
import type { JsonObject, JsonValue } from "../../onboarding/onboarding-record.js";
import { oneRowPerSessionTable } from "../../storage/one-row-step-table.js";
import type { StepFileCodec, StepPersistence, StepTable } from "../../storage/step-persistence.js";
import type { PersonaData } from "./persona-schema.js";

/** Step 4 in `persona_data`, one row per session. The API's keys are camelCase, the columns snake_case. */
export const personaTable: StepTable = oneRowPerSessionTable("persona_data", {
  toRow(data) {
    const persona = data as unknown as PersonaData;
    return {
      core_persona: toJsonColumn(persona.corePersona),
      platform_personas: toJsonColumn(persona.platformPersonas),
      quality_metrics: toJsonColumn(persona.qualityMetrics),
      selected_platforms: toJsonColumn(persona.selectedPlatforms),
    };
  },

  fromRow(row) {
    return {
      corePersona: fromNullableJsonColumn<JsonObject>(row.core_persona) ?? {},
      platformPersonas: fromNullableJsonColumn<JsonObject>(row.platform_personas) ?? {},
      qualityMetrics: fromNullableJsonColumn<JsonObject>(row.quality_metrics) ?? {},
      selectedPlatforms: fromNullableJsonColumn<JsonValue[]>(row.selected_platforms) ?? [],
    };
  },
});

const SNAKE_TO_CAMEL = {
  core_persona: "corePersona",
  platform_personas: "platformPersonas",
  quality_metrics: "qualityMetrics",
  selected_platforms: "selectedPlatforms",
} as const;

/** Some old files wrote snake_case keys; the old summary then missed them. We read both. */
export const personaFileCodec: StepFileCodec = {
  toFile: (data) => data,
  fromFile(data) {
    const persona: JsonObject = {};
    for (const [snake, camel] of Object.entries(SNAKE_TO_CAMEL)) {
      const value = data[camel] ?? data[snake];
      if (value !== undefined && value !== null) persona[camel] = value;
    }
    if (Object.keys(persona).length === 0) return null;
    return {
      corePersona: persona.corePersona ?? {},
      platformPersonas: persona.platformPersonas ?? {},
      qualityMetrics: persona.qualityMetrics ?? {},
      selectedPlatforms: persona.selectedPlatforms ?? [],
    };
  },
};

export const personaPersistence: StepPersistence = { stepNumber: 4, table: personaTable, file: personaFileCodec };
