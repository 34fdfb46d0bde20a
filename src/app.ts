import { randomUUID } from "node:crypto";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import { serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import type { Services } from "./composition/services.js";
import { registerErrorHandler } from "./http/error-handler.js";
import { healthRoutes } from "./http/routes/health-routes.js";

export const BODY_LIMIT_BYTES = 1024 * 1024;

export interface AppOptions {
  readonly services: Services;
}

/**
 * Builds the HTTP app without listening, so tests `inject` into the very app that serves.
 * Tiers, as in fastify/demo: framework wiring, then our services' routes.
 */
export async function buildApp({ services }: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: services.logger as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT_BYTES,
    requestIdHeader: "x-request-id",
    genReqId: () => randomUUID(),
    disableRequestLogging: false,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandler(app);
  app.addHook("onSend", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });

  await app.register(healthRoutes(services));
  return app;
}
