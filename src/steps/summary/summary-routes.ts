import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { commonErrors, jsonObject, statusViewSchema } from "../../http/view-schemas.js";
import type { Wizard } from "../../onboarding/wizard.js";
import { buildSummary } from "./build-summary.js";

const capabilitiesSchema = z.object({
  ai_content_generation: z.boolean(),
  website_analysis: z.boolean(),
  research_capabilities: z.boolean(),
  persona_generation: z.boolean(),
  content_optimization: z.boolean(),
});

const personaSchema = z.object({ corePersona: jsonObject, platformPersonas: jsonObject, qualityMetrics: jsonObject, selectedPlatforms: z.array(z.string()) });

const summarySchema = z.object({
  user_id: z.string(),
  onboarding: statusViewSchema,
  api_keys: z.object({ count: z.number().int(), providers: z.array(z.object({ provider: z.string(), masked: z.string() })) }),
  website_url: z.string().nullable(),
  style_analysis: jsonObject.nullable(),
  research_preferences: jsonObject.nullable(),
  persona: personaSchema.nullable(),
  integrations: jsonObject.nullable(),
  persona_readiness: z.object({ ready: z.boolean(), reason: z.string(), missing_data: z.array(z.string()) }),
  capabilities_overview: capabilitiesSchema,
  personalization_settings: z
    .object({
      writing_style: z.string(),
      tone: z.string(),
      brand_voice: z.string().describe("Each derived from the saved persona, then the website analysis; \"\" when neither says"),
      persona: personaSchema,
    })
    .nullable()
    .describe("The old platform's Step 6 block; null until step 4 holds a persona"),
  configuration_and_capabilities: z.object({ capabilities_overview: capabilitiesSchema }).describe("The old platform's place for capabilities_overview (the same object)"),
  onboarding_type: z.string().describe("Always \"website\": the one onboarding flow of this service"),
});

/** Step 6: GET /summary, from the database only (the store reads the database in every mode but `file`). */
export function summaryRoutes(wizard: Wizard): FastifyPluginAsync {
  return async (app) => {
    app.withTypeProvider<ZodTypeProvider>().get(
      "/summary",
      { schema: { tags: ["step 6: summary"], summary: "Everything steps 1-5 saved, read in one snapshot", response: { 200: summarySchema, ...commonErrors } } },
      async (request) => buildSummary(request.auth.userId, await wizard.read(request.auth.userId), wizard.definitions),
    );
  };
}
