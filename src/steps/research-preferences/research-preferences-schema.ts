import { z } from "zod";

export const RESEARCH_DEPTHS = ["Basic", "Standard", "Comprehensive", "Expert"] as const;

export const researchPreferencesStepSchema = z
  .object({
    research_depth: z.enum(RESEARCH_DEPTHS, { message: `research_depth must be one of ${RESEARCH_DEPTHS.join(", ")}` }),
    content_types: z
      .array(z.string().trim().min(1, "a content type is not empty").max(100, "a content type has at most 100 characters"))
      .min(1, "choose at least one content type")
      .max(20, "choose at most 20 content types"),
    auto_research: z.boolean(),
    factual_content: z.boolean(),
  })
  .strict();
export type ResearchPreferences = z.infer<typeof researchPreferencesStepSchema>;
