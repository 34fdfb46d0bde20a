import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { commonErrors, jsonObject } from "../../http/view-schemas.js";
import type { Wizard } from "../../onboarding/wizard.js";

/** Step 3's own route: the saved preferences, or null. */
export function researchPreferencesRoutes(wizard: Wizard): FastifyPluginAsync {
  return async (app) => {
    app.withTypeProvider<ZodTypeProvider>().get(
      "/research-preferences",
      { schema: { tags: ["step 3: research"], summary: "Saved research preferences or null", response: { 200: jsonObject.nullable(), ...commonErrors } } },
      async (request) => (await wizard.read(request.auth.userId))?.steps[2]?.data ?? null,
    );
  };
}
