import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Services } from "../../composition/services.js";
import { errorSchema } from "../view-schemas.js";

const liveness = z.object({ status: z.literal("ok") });
const readiness = z.object({
  status: z.enum(["ready", "unavailable"]),
  storage_mode: z.enum(["file", "dual", "database"]),
  database: z.enum(["ok", "unreachable"]),
  file_write_failures: z.number().int(),
});

const alive = async () => ({ status: "ok" as const });

/**
 * `/healthz`: the process is alive; `/health` is the same, under the old platform's name for its
 * app-load gate. `/readyz`: the database answers, so this instance may take traffic.
 */
export function healthRoutes(services: Services): FastifyPluginAsync {
  return async (app) => {
    const routes = app.withTypeProvider<ZodTypeProvider>();
    routes.get("/healthz", { schema: { tags: ["health"], response: { 200: liveness } } }, alive);
    routes.get("/health", { schema: { tags: ["health"], summary: "The same as /healthz (the old platform's name)", response: { 200: liveness } } }, alive);
    routes.get(
      "/readyz",
      { schema: { tags: ["health"], response: { 200: readiness, 503: readiness } } },
      async (_request, reply) => {
        const databaseAnswers = await services.database.ping().then(
          () => true,
          () => false,
        );
        return reply.code(databaseAnswers ? 200 : 503).send({
          status: databaseAnswers ? "ready" : "unavailable",
          storage_mode: services.config.storageMode,
          database: databaseAnswers ? "ok" : "unreachable",
          ...services.metrics.snapshot(),
        });
      },
    );
  };
}

/** GET /api/onboarding/health: the old client's gate under its onboarding prefix, authenticated like every route there. */
export const onboardingHealthRoute: FastifyPluginAsync = async (app) => {
  app
    .withTypeProvider<ZodTypeProvider>()
    .get("/health", { schema: { tags: ["health"], summary: "The same as /healthz, for a signed-in caller", response: { 200: liveness, 401: errorSchema } } }, alive);
};
