import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import type { FastifyInstance } from "fastify";
import { jsonSchemaTransform, jsonSchemaTransformObject } from "fastify-type-provider-zod";

type Transform = typeof jsonSchemaTransform;

/**
 * The auth hook guards every /api/onboarding route; the document must say so per operation, or
 * Swagger UI and generated clients send no token and every "Try it out" answers 401.
 */
const requireBearerUnderApi: Transform = (input) => {
  const output = jsonSchemaTransform(input);
  if (!input.url.startsWith("/api/onboarding/") || output.schema === undefined) return output;
  return { ...output, schema: { ...output.schema, security: [{ bearer: [] }] } };
};

/** OpenAPI 3 generated from the same zod schemas that validate; browsable at /docs. */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      openapi: "3.0.3",
      info: {
        title: "onboarding-service",
        description: "The six-step onboarding wizard of an AI content platform. Every /api/onboarding route needs `Authorization: Bearer <Clerk session token>`.",
        version: "0.1.0",
      },
      components: { securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } } },
    },
    transform: requireBearerUnderApi,
    // Emits the schemas registered by id (JsonValue) as components, so every $ref resolves.
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(fastifySwaggerUi, { routePrefix: "/docs" });
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
}
