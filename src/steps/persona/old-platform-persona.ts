import { z } from "zod";
import { jsonObject } from "../../http/view-schemas.js";
import type { JsonObject } from "../../onboarding/onboarding-record.js";
import type { PersonaData } from "./generation/persona-types.js";

/** The persona as step 4 saves it: camelCase at the top (SPEC §4). */
export const personaSchema = z.object({
  corePersona: jsonObject,
  platformPersonas: z.record(z.string(), jsonObject),
  qualityMetrics: z.record(z.string(), z.number()),
  selectedPlatforms: z.array(z.string()),
});

/** The same four objects under the old platform's snake_case names. */
export const oldPlatformNamesSchema = z.object({
  core_persona: jsonObject.describe("= corePersona (the old platform's name)"),
  platform_personas: z.record(z.string(), jsonObject).describe("= platformPersonas"),
  quality_metrics: z.record(z.string(), z.number()).describe("= qualityMetrics"),
  selected_platforms: z.array(z.string()).describe("= selectedPlatforms"),
});

/**
 * The old platform's Step 4 screen reads a finished task's `result` and `persona-latest`'s
 * `persona` in snake_case (`result.core_persona`), while the persona itself is camelCase
 * everywhere else; these two answers carry both names of the same objects.
 */
export function withOldPlatformNames<T extends PersonaData>(persona: T): T & z.infer<typeof oldPlatformNamesSchema> {
  return {
    ...persona,
    core_persona: persona.corePersona,
    platform_personas: persona.platformPersonas,
    quality_metrics: persona.qualityMetrics,
    selected_platforms: persona.selectedPlatforms,
  };
}

/** Step 4's stored data as the persona it is (the step's schema checked it when it was saved). */
export function asPersona(data: JsonObject): PersonaData {
  return data as unknown as PersonaData;
}
