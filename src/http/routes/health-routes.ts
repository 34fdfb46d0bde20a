import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { Services } from "../../composition/services.js";

const liveness = z.object({ status: z.literal("ok") });
const readiness = z.object({
  status: z.enum(["ready", "unavailable"]),
  storage_mode: z.enum(["file", "dual", "database"]),
  database: z.enum(["ok", "unreachable"]),
  file_write_failures: z.number().int(),
});

/** `/healthz`: the process is alive. `/readyz`: the database answers, so this instance may take traffic. */
export function healthRoutes(services: Services): FastifyPluginAsync {
  return async (app) => {
    const routes = app.withTypeProvider<ZodTypeProvider>();
    routes.get("/healthz", { schema: { tags: ["health"], response: { 200: liveness } } }, async () => ({ status: "ok" as const }));
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
