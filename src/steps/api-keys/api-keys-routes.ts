import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { commonErrors } from "../../http/view-schemas.js";
import type { Wizard } from "../../onboarding/wizard.js";
import { LLM_PROVIDERS, PROVIDERS, type Provider } from "../../onboarding/providers.js";
import { storedKeys } from "./api-keys-definition.js";
import { maskStoredKey } from "./api-keys-persistence.js";
import { apiKeySchema, KEY_DESCRIPTION_MAX_LENGTH, looksLikeMask, preferredProviderOf, providerSchema, withKeys } from "./api-keys-schema.js";
import { configuredProviders, hasLlmKey, keyStatuses, type KeyStatus } from "./key-status.js";
import { PROVIDER_GUIDES } from "./provider-guide.js";

// Unlike step 1's data, this route has no stored key a mask could stand for: a mask is refused here, on `api_key`.
const saveKeyBody = z
  .object({
    provider: providerSchema,
    api_key: apiKeySchema.refine((key) => !looksLikeMask(key), "send the key itself, not its mask"),
    description: z
      .string()
      .max(KEY_DESCRIPTION_MAX_LENGTH, `a description has at most ${KEY_DESCRIPTION_MAX_LENGTH} characters`)
      .optional()
      .describe("The old platform's note on the key: accepted, then kept nowhere and never logged"),
  })
  .strict();

const keyListSchema = z.object({
  api_keys: z.record(z.string(), z.string()).describe("Saved keys by provider, masked"),
  total_providers: z.number().int().describe("How many providers step 1 knows"),
  configured_providers: z.array(z.string()).describe("Providers with a key (saved or from the server's environment), sorted"),
});

const validationSchema = z.object({
  validation_results: z.record(
    z.string(),
    z.object({ configured: z.boolean(), source: z.enum(["database", "environment"]).nullable(), masked: z.string().nullable() }),
  ),
  all_valid: z.boolean().describe("A language model provider has a key, so step 1 can be completed"),
  missing_keys: z.array(z.string()).describe("While all_valid is false: the providers one of which needs a key"),
  total_providers: z.number().int(),
  configured_providers: z.array(z.string()),
});

/** Step 1's own routes: masked keys, saving or deleting one key, and the guide to getting keys. */
export function apiKeysRoutes(wizard: Wizard): FastifyPluginAsync {
  return async (app) => {
    const routes = app.withTypeProvider<ZodTypeProvider>();
    const tags = ["step 1: API keys"];

    routes.get(
      "/api-keys",
      { schema: { tags, summary: "Saved keys, masked", response: { 200: keyListSchema, ...commonErrors } } },
      async (request) => keyList(await statusesOf(wizard, request.auth.userId)),
    );

    routes.get(
      "/api-keys/onboarding",
      {
        schema: {
          tags,
          summary: "The old platform's pre-fill route, with the same answer as GET /api-keys: keys are write-only, so masked here too (the old route returned them in clear)",
          response: { 200: keyListSchema, ...commonErrors },
        },
      },
      async (request) => keyList(await statusesOf(wizard, request.auth.userId)),
    );

    routes.post(
      "/api-keys/validate",
      {
        schema: {
          tags,
          summary: "Which providers have a key and from where; no provider is called",
          response: { 200: validationSchema, ...commonErrors },
        },
      },
      async (request) => {
        const statuses = await statusesOf(wizard, request.auth.userId);
        const allValid = hasLlmKey(statuses);
        return {
          validation_results: Object.fromEntries(statuses),
          all_valid: allValid,
          missing_keys: allValid ? [] : [...LLM_PROVIDERS],
          total_providers: PROVIDERS.length,
          configured_providers: configuredProviders(statuses),
        };
      },
    );

    routes.post(
      "/api-keys",
      {
        schema: {
          tags,
          summary: "Save one key (part of step 1)",
          body: saveKeyBody,
          response: {
            200: z.object({ message: z.string(), provider: z.string(), status: z.literal("saved"), masked: z.string() }),
            ...commonErrors,
          },
        },
      },
      async (request) => {
        // `description` is dropped here, unread: it is stored nowhere and never logged.
        const { provider, api_key } = request.body;
        const definition = wizard.definition(1);
        const context = wizard.context(request.auth.userId);
        const input = { api_keys: { [provider]: api_key } };
        const record = await wizard.changeStepData(request.auth.userId, 1, (stored) => definition.toStored(input, stored, context), input, request.log);
        const saved = storedKeys(record.steps[0]?.data ?? null)[provider];
        return { message: `API key for ${provider} saved`, provider, status: "saved" as const, masked: saved ? maskStoredKey(saved) : "" };
      },
    );

    routes.delete(
      "/api-keys/:provider",
      { schema: { tags, summary: "Delete one key; 409 last_model_key for the last language model key while step 1 is done (no environment key counting)", params: z.object({ provider: providerSchema }), response: { 204: z.null(), ...commonErrors } } },
      async (request, reply) => {
        const { provider } = request.params;
        const current = await wizard.read(request.auth.userId);
        if (current !== null && storedKeys(current.steps[0]?.data ?? null)[provider] !== undefined) {
          await wizard.changeStepData(
            request.auth.userId,
            1,
            (stored) => {
              const { [provider]: _removed, ...rest } = storedKeys(stored);
              return Object.keys(rest).length === 0 ? null : withKeys(rest, preferredProviderOf(stored));
            },
            {},
            request.log,
          );
        }
        return reply.code(204).send(null);
      },
    );

    routes.get(
      "/providers",
      {
        schema: {
          tags,
          summary: "Every provider of step 1 with the guidance to get a key",
          response: {
            200: z.array(
              z.object({
                provider: z.string(),
                label: z.string(),
                group: z.enum(["Create", "Research", "Integrations"]),
                url: z.string(),
                description: z.string(),
                setup_steps: z.array(z.string()),
                configured: z.boolean(),
                source: z.enum(["database", "environment"]).nullable(),
              }),
            ),
            ...commonErrors,
          },
        },
      },
      async (request) =>
        [...(await statusesOf(wizard, request.auth.userId))].map(([provider, { configured, source }]) => {
          const guide = PROVIDER_GUIDES[provider];
          return { provider, ...guide, setup_steps: [...guide.setup_steps], configured, source };
        }),
    );
  };
}

async function statusesOf(wizard: Wizard, userId: string): Promise<ReadonlyMap<Provider, KeyStatus>> {
  const stepOne = (await wizard.read(userId))?.steps[0]?.data ?? null;
  return keyStatuses(stepOne, wizard.context(userId).environmentProviders);
}

/** GET /api-keys and /api-keys/onboarding: saved keys masked (an environment key is configured but has no mask to show). */
function keyList(statuses: ReadonlyMap<Provider, KeyStatus>): z.infer<typeof keyListSchema> {
  const masked = [...statuses].flatMap(([provider, status]) => (status.masked === null ? [] : [[provider, status.masked] as const]));
  return { api_keys: Object.fromEntries(masked), total_providers: PROVIDERS.length, configured_providers: configuredProviders(statuses) };
}
