import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { LLM_PROVIDERS, PROVIDERS } from "../../onboarding/providers.js";
import { OPTIONAL_STEPS, STEP_CATALOGUE, STEP_NUMBERS } from "../../onboarding/step-catalogue.js";
import { API_KEY_LENGTH, KEY_DESCRIPTION_MAX_LENGTH } from "../../steps/api-keys/api-keys-schema.js";
import { PROVIDER_GUIDES } from "../../steps/api-keys/provider-guide.js";
import { commonErrors, VALIDATION_ERRORS_LIMITS } from "../view-schemas.js";

const GROUPS = ["Create", "Research", "Integrations"] as const;

const configSchema = z.object({
  total_steps: z.number().int(),
  steps: z.array(
    z.object({
      number: z.number().int(),
      title: z.string(),
      description: z.string(),
      optional: z.boolean().describe("May be skipped (only step 5)"),
      required: z.boolean().describe("Must be completed before POST /complete"),
    }),
  ),
  providers: z.array(z.object({ provider: z.string(), group: z.enum(GROUPS), llm: z.boolean().describe("Counts for completing step 1") })),
  provider_groups: z.array(z.object({ group: z.enum(GROUPS), providers: z.array(z.string()) })),
  requirements: z.object({
    min_api_keys: z.number().int(),
    llm_providers: z.array(z.string()).describe("Completing step 1 needs a key for one of these"),
  }),
  limits: z.object({
    body_bytes: z.number().int().describe("Largest request body"),
    expensive_requests_per_minute: z.number().int().describe("Website analyses and persona generations per user per minute"),
    api_key_length: z.object({ min: z.number().int(), max: z.number().int() }),
    validation_errors: z.object({ max_items: z.number().int(), max_length: z.number().int() }),
    api_key_description_length: z.number().int(),
  }),
});

export interface ConfigLimits {
  readonly bodyBytes: number;
  readonly expensivePerMinute: number;
}

/** GET /config: what the wizard is, the same for every user of this server. */
export function configRoutes(limits: ConfigLimits): FastifyPluginAsync {
  const config = onboardingConfig(limits);
  return async (app) => {
    app
      .withTypeProvider<ZodTypeProvider>()
      .get(
        "/config",
        { schema: { tags: ["onboarding"], summary: "The step catalogue, the providers and the limits (static per server)", response: { 200: configSchema, ...commonErrors } } },
        async () => config,
      );
  };
}

function onboardingConfig(limits: ConfigLimits): z.infer<typeof configSchema> {
  return {
    total_steps: STEP_NUMBERS.length,
    steps: STEP_NUMBERS.map((number) => ({ number, ...STEP_CATALOGUE[number], optional: OPTIONAL_STEPS.includes(number), required: !OPTIONAL_STEPS.includes(number) })),
    providers: PROVIDERS.map((provider) => ({ provider, group: PROVIDER_GUIDES[provider].group, llm: LLM_PROVIDERS.includes(provider) })),
    provider_groups: GROUPS.map((group) => ({ group, providers: PROVIDERS.filter((provider) => PROVIDER_GUIDES[provider].group === group) })),
    requirements: { min_api_keys: 1, llm_providers: [...LLM_PROVIDERS] },
    limits: {
      body_bytes: limits.bodyBytes,
      expensive_requests_per_minute: limits.expensivePerMinute,
      api_key_length: { ...API_KEY_LENGTH },
      validation_errors: { max_items: VALIDATION_ERRORS_LIMITS.maxItems, max_length: VALIDATION_ERRORS_LIMITS.maxLength },
      api_key_description_length: KEY_DESCRIPTION_MAX_LENGTH,
    },
  };
}
