import { z } from "zod";
import { jsonValue } from "../../http/view-schemas.js";

/** Known today; SPEC §4 says more may be added, so other lower-case names are accepted too. */
export const PERSONA_PLATFORMS = ["linkedin", "facebook", "instagram", "twitter", "blog", "medium", "substack"] as const;

export const platformNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,39}$/, "a platform is a lower-case name such as linkedin or blog");

const personaObject = z.record(z.string(), jsonValue);

export const personaStepSchema = z
  .object({
    corePersona: personaObject,
    platformPersonas: z.record(platformNameSchema, personaObject),
    qualityMetrics: z.record(z.string().max(64), z.number().min(0, "a quality metric is 0-100").max(100, "a quality metric is 0-100")),
    selectedPlatforms: z
      .array(platformNameSchema)
      .min(1, "select at least one platform")
      .max(10, "select at most 10 platforms"),
  })
  .strict();
export type PersonaData = z.infer<typeof personaStepSchema>;
