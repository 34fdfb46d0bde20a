import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { MODEL_PROVIDERS, type ModelProvider } from "../../onboarding/providers.js";
import { NoKeySaved } from "../../errors/app-errors.js";
import type { ExpensiveWorkGuard } from "../../http/expensive-work-guard.js";
import { commonErrors } from "../../http/view-schemas.js";
import type { KeyCheck } from "../../llm/key-check.js";
import type { OnboardingRecord } from "../../onboarding/onboarding-record.js";
import type { Wizard } from "../../onboarding/wizard.js";
import { keyStatuses } from "./key-status.js";
import { keyCheckSchema } from "./api-keys-schema.js";
import { PROVIDER_GUIDES } from "./provider-guide.js";

export interface KeyCheckRouteDependencies {
  readonly wizard: Wizard;
  readonly guard: ExpensiveWorkGuard;
  /** Calls the provider with the user's key (composition/model-key-check.ts); undefined without a key. */
  readonly checkKey: (
    userId: string,
    provider: ModelProvider,
    record: OnboardingRecord | null,
  ) => Promise<(KeyCheck & { source: "database" | "environment" }) | undefined>;
}

export const keyCheckParamsSchema = z.object({
  provider: z.enum(MODEL_PROVIDERS, { message: `only a language-model key can be checked: ${MODEL_PROVIDERS.join(", ")}` }),
});


/** Step 1's "Check key" (SPEC §6, §10): the provider's model list, called with the user's key. */
export function keyCheckRoutes({ wizard, guard, checkKey }: KeyCheckRouteDependencies): FastifyPluginAsync {
  return async (app) => {
    app.withTypeProvider<ZodTypeProvider>().post(
      "/api-keys/:provider/check",
      {
        schema: {
          tags: ["step 1: API keys"],
          summary: "Ask the provider whether it accepts the key (its model list; counted by the limit on expensive work)",
          params: keyCheckParamsSchema,
          response: { 200: keyCheckSchema, 404: commonErrors[409], 429: commonErrors[409], ...commonErrors },
        },
      },
      async (request) => {
        const userId = request.auth.userId;
        const { provider } = request.params;
        const record = await wizard.read(userId);
        const status = keyStatuses(record?.steps[0]?.data ?? null, wizard.context(userId).environmentProviders).get(provider);
        const noKey = new NoKeySaved(`No ${PROVIDER_GUIDES[provider].label} key is saved to check`);
        if (status?.configured !== true) throw noKey;
        // Counted before the call, not for a 404: each check is a request to the provider on the user's behalf.
        await guard.admit(userId);
        const check = await checkKey(userId, provider, record);
        if (check === undefined) throw noKey;
        if (check.status !== "valid") request.log.warn({ user_id: userId, provider, status: check.status, reason: check.reason }, "model key check failed");
        return { provider, status: check.status, source: check.source, checked_at: new Date().toISOString() };
      },
    );
  };
}
