import { z } from "zod";
import { websiteUrlSchema } from "../website-analysis/website-analysis-schema.js";

const platformList = z.array(z.string().trim().min(1).max(64, "a platform name has at most 64 characters")).max(20, "at most 20 platforms");

export const integrationsStepSchema = z
  .object({
    primary_website: websiteUrlSchema.optional(),
    website_platforms: platformList,
    analytics_platforms: platformList,
    social_platforms: platformList,
  })
  .strict();
export type IntegrationsData = z.infer<typeof integrationsStepSchema>;
