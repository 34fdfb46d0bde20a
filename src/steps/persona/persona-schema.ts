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

const selectedPlatformsSchema = z.array(platformNameSchema).min(1, "select at least one platform").max(10, "select at most 10 platforms");

/**
 * The body of both generation routes. The old platform's client sends its own request model:
 * `selected_platforms` is read as `selectedPlatforms`; `onboarding_data` (the client's copy of
 * steps 2-3), `user_preferences` and `force` are accepted and ignored, since the persona is
 * always generated afresh from what steps 2-3 saved. Any other key is refused.
 */
export const generatePersonaBodySchema = z
  .object({
    selectedPlatforms: selectedPlatformsSchema.optional(),
    selected_platforms: selectedPlatformsSchema.optional().describe("The old platform's name for selectedPlatforms"),
    onboarding_data: z.record(z.string(), z.unknown()).nullable().optional().describe("Accepted and ignored: the persona is built from what steps 2-3 saved"),
    user_preferences: z.record(z.string(), z.unknown()).nullable().optional().describe("Accepted and ignored"),
    force: z.boolean().optional().describe("Accepted and ignored: every request generates afresh"),
  })
  .strict()
  .refine((body) => body.selectedPlatforms === undefined || body.selected_platforms === undefined, {
    message: "send selectedPlatforms or selected_platforms, not both",
    path: ["selected_platforms"],
  });
export type GeneratePersonaBody = z.infer<typeof generatePersonaBodySchema>;

/** The platforms a generation request asked for, under either name. */
export function requestedPlatforms(body: GeneratePersonaBody | null | undefined): string[] | undefined {
  return body?.selectedPlatforms ?? body?.selected_platforms;
}
