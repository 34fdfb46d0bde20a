import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { commonErrors } from "../../http/view-schemas.js";
import type { Wizard } from "../../onboarding/wizard.js";
import { PROVIDERS } from "../../onboarding/providers.js";
import { storedKeys } from "./api-keys-definition.js";
import { maskStoredKey } from "./api-keys-persistence.js";
import { apiKeySchema, looksLikeMask, providerSchema } from "./api-keys-schema.js";
import { PROVIDER_GUIDES } from "./provider-guide.js";

// Unlike step 1's data, this route has no stored key a mask could stand for: a mask is refused here, on `api_key`.
const saveKeyBody = z
  .object({ provider: providerSchema, api_key: apiKeySchema.refine((key) => !looksLikeMask(key), "send the key itself, not its mask") })
  .strict();

/** Step 1's own routes: masked keys, saving or deleting one key, and the guide to getting keys. */
export function apiKeysRoutes(wizard: Wizard): FastifyPluginAsync {
  return async (app) => {
    const routes = app.withTypeProvider<ZodTypeProvider>();
    const tags = ["step 1: API keys"];

    routes.get(
      "/api-keys",
      {
        schema: {
          tags,
          summary: "Saved keys, masked",
          response: {
            200: z.object({ api_keys: z.record(z.string(), z.string()), total_providers: z.number().int(), configured_providers: z.number().int() }),
            ...commonErrors,
          },
        },
      },
      async (request) => {
        const keys = storedKeys((await wizard.read(request.auth.userId))?.steps[0]?.data ?? null);
        const masked = Object.fromEntries(Object.entries(keys).map(([provider, key]) => [provider, maskStoredKey(key)]));
        const configured = new Set([...Object.keys(keys), ...wizard.context(request.auth.userId).environmentProviders]);
        return { api_keys: masked, total_providers: PROVIDERS.length, configured_providers: configured.size };
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
      { schema: { tags, summary: "Delete one key", params: z.object({ provider: providerSchema }), response: { 204: z.null(), ...commonErrors } } },
      async (request, reply) => {
        const { provider } = request.params;
        const current = await wizard.read(request.auth.userId);
        if (current !== null && storedKeys(current.steps[0]?.data ?? null)[provider] !== undefined) {
          await wizard.changeStepData(
            request.auth.userId,
            1,
            (stored) => {
              const { [provider]: _removed, ...rest } = storedKeys(stored);
              return Object.keys(rest).length === 0 ? null : { api_keys: rest as never };
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
      async (request) => {
        const saved = storedKeys((await wizard.read(request.auth.userId))?.steps[0]?.data ?? null);
        const environment = wizard.context(request.auth.userId).environmentProviders;
        return PROVIDERS.map((provider) => {
          const source = saved[provider] !== undefined ? ("database" as const) : environment.has(provider) ? ("environment" as const) : null;
          return { provider, ...PROVIDER_GUIDES[provider], setup_steps: [...PROVIDER_GUIDES[provider].setup_steps], configured: source !== null, source };
        });
      },
    );
  };
}
