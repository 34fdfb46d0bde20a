import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import { AUTH_MODES, type Config } from "../../config/config.js";

const webConfigSchema = z.object({
  auth_mode: z.enum(AUTH_MODES),
  /** Clerk mode: what the page's Clerk sign-in needs (public by design); null in dev mode or when not configured. */
  clerk_publishable_key: z.string().nullable(),
});
type WebConfig = z.infer<typeof webConfigSchema>;

/** GET /api/web-config: how the web page signs people in. Public: it holds nothing secret. */
export function webConfigRoutes(config: Pick<Config, "authMode" | "clerk">): FastifyPluginAsync {
  const answer: WebConfig = {
    auth_mode: config.authMode,
    clerk_publishable_key: config.authMode === "clerk" ? (config.clerk.publishableKey ?? null) : null,
  };
  return async (app) => {
    app.withTypeProvider<ZodTypeProvider>().get(
      "/api/web-config",
      { schema: { tags: ["web page"], summary: "How the web page signs people in (auth mode, Clerk publishable key)", response: { 200: webConfigSchema } } },
      async (_request, reply) => reply.header("cache-control", "no-cache").send(answer),
    );
  };
}
