import type { FastifyPluginAsync } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import type { DevTokenIssuer } from "../../auth/dev-token-issuer.js";

const devTokenRequest = z
  .object({
    // DevTokenIssuer refuses what cannot be a user id (userIdProblem), naming user_id.
    user_id: z.string().describe("Any user id, e.g. user_2abc123xyz"),
  })
  .strict();
const devTokenResponse = z.object({ token: z.string() });

/** Dev mode only (the route does not exist in clerk mode): a signed session token for any user id. */
export function devTokenRoutes(issuer: DevTokenIssuer): FastifyPluginAsync {
  return async (app) => {
    app.withTypeProvider<ZodTypeProvider>().post(
      "/api/dev/token",
      {
        schema: {
          tags: ["dev"],
          summary: "Mint a session token (dev mode only)",
          body: devTokenRequest,
          response: { 200: devTokenResponse },
        },
      },
      async (request) => ({ token: await issuer.issue(request.body.user_id) }),
    );
  };
}
