import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { LLM_SOURCES } from "../../llm/chat-client.js";
import { NotFound } from "../../errors/app-errors.js";
import type { ExpensiveWorkGuard } from "../../http/expensive-work-guard.js";
import { refuseJsonNull } from "../../http/refuse-json-null.js";
import { commonErrors, errorSchema } from "../../http/view-schemas.js";
import { generateAndSavePersona, type PersonaGenerationDependencies } from "./generate-and-save-persona.js";
import { asPersona, oldPlatformNamesSchema, personaSchema, withOldPlatformNames } from "./old-platform-persona.js";
import { generatePersonaBodySchema, requestedPlatforms } from "./persona-schema.js";

export const generatedPersonaSchema = personaSchema.extend({
  llm_enriched: z.boolean(),
  llm_provider: z.enum(LLM_SOURCES).nullable().describe("What enriched the persona: the user's own provider, the server's model, the server's environment key, or null"),
  warnings: z.array(z.string()),
});

const latestPersonaResponse = z.object({
  success: z.literal(true),
  persona: personaSchema.extend(oldPlatformNamesSchema.shape).extend({ timestamp: z.string().nullable().describe("When step 4's data was last saved") }),
});

export interface PersonaRouteDependencies extends PersonaGenerationDependencies {
  readonly guard: ExpensiveWorkGuard;
}

/** POST /step4/generate-personas (a persona from steps 2-3, saved as step 4's draft) and GET /step4/persona-latest. */
export function personaRoutes({ wizard, guard, chatClientFor }: PersonaRouteDependencies): FastifyPluginAsync {
  return async (app) => {
    const routes = app.withTypeProvider<ZodTypeProvider>();
    const tags = ["step 4: persona"];

    routes.post(
      "/step4/generate-personas",
      {
        preValidation: refuseJsonNull,
        schema: {
          tags,
          summary: "Generate a persona from the website analysis and research preferences; saved as the step 4 draft",
          // No body at all is validated as null; refuseJsonNull tells it from a body of JSON `null`.
          body: generatePersonaBodySchema.nullish(),
          response: { 200: generatedPersonaSchema, 429: errorSchema, ...commonErrors },
        },
      },
      async (request) => {
        const userId = request.auth.userId;
        const selectedPlatforms = requestedPlatforms(request.body);
        return guard.run(userId, "persona", () => generateAndSavePersona({ wizard, chatClientFor }, { userId, selectedPlatforms, log: request.log }));
      },
    );

    routes.get(
      "/step4/persona-latest",
      {
        schema: {
          tags,
          summary: "The persona step 4 holds (generated or saved), or 404 before there is one",
          response: { 200: latestPersonaResponse, 404: errorSchema, ...commonErrors },
        },
      },
      async (request) => {
        const step = (await wizard.read(request.auth.userId))?.steps[3];
        if (step?.data == null) throw new NotFound("No persona yet: generate one in step 4, or save step 4");
        return { success: true as const, persona: { ...withOldPlatformNames(asPersona(step.data)), timestamp: step.updatedAt } };
      },
    );
  };
}
