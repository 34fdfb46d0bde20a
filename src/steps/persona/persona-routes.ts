import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { ExpensiveWorkGuard } from "../../http/expensive-work-guard.js";
import { refuseJsonNull } from "../../http/refuse-json-null.js";
import { commonErrors, jsonObject } from "../../http/view-schemas.js";
import type { ChatClient } from "../../llm/chat-client.js";
import type { JsonObject, OnboardingRecord } from "../../onboarding/onboarding-record.js";
import { recordOrEmpty } from "../../onboarding/onboarding-view.js";
import { refuseIfLocked } from "../../onboarding/step-transitions.js";
import type { Wizard } from "../../onboarding/wizard.js";
import { generatePersona } from "./generation/generate-persona.js";
import { platformNameSchema } from "./persona-schema.js";

const generateBody = z
  .object({ selectedPlatforms: z.array(platformNameSchema).min(1, "select at least one platform").max(10, "select at most 10 platforms").optional() })
  .strict()
  // No body at all is validated as null; refuseJsonNull tells it from a body of JSON `null`.
  .nullish();

const personaResponse = z.object({
  corePersona: jsonObject,
  platformPersonas: z.record(z.string(), jsonObject),
  qualityMetrics: z.record(z.string(), z.number()),
  selectedPlatforms: z.array(z.string()),
  llm_enriched: z.boolean(),
  warnings: z.array(z.string()),
});

export interface PersonaRouteDependencies {
  readonly wizard: Wizard;
  readonly guard: ExpensiveWorkGuard;
  readonly chatClientFor: (userId: string, record: OnboardingRecord | null) => ChatClient | undefined;
}

/** POST /step4/generate-personas: a persona from steps 2-3, saved as step 4's draft. */
export function personaRoutes({ wizard, guard, chatClientFor }: PersonaRouteDependencies): FastifyPluginAsync {
  return async (app) => {
    app.withTypeProvider<ZodTypeProvider>().post(
      "/step4/generate-personas",
      {
        preValidation: refuseJsonNull,
        schema: {
          tags: ["step 4: persona"],
          summary: "Generate a persona from the website analysis and research preferences; saved as the step 4 draft",
          body: generateBody,
          response: { 200: personaResponse, 429: commonErrors[409], ...commonErrors },
        },
      },
      async (request) => {
        const userId = request.auth.userId;
        const platforms = request.body?.selectedPlatforms;
        return guard.run(userId, "persona", async () => {
          const record = await wizard.read(userId);
          refuseIfLocked(recordOrEmpty(record), 4);
          const generated = await generatePersona(
            { website: record?.steps[1]?.data ?? null, research: record?.steps[2]?.data ?? null, ...(platforms ? { selectedPlatforms: platforms } : {}) },
            { chat: chatClientFor(userId, record) },
          );
          const persona = generated.persona as unknown as JsonObject;
          await wizard.changeStepData(userId, 4, () => persona, persona, request.log);
          return { ...generated.persona, llm_enriched: generated.llmEnriched, warnings: generated.warnings };
        });
      },
    );
  };
}
