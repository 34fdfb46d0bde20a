import type { FastifyInstance } from "fastify";
import { readBearerToken } from "../auth/bearer-token.js";
import { CachedTokenVerifier } from "../auth/cached-token-verifier.js";
import { createTokenVerifier } from "../auth/create-token-verifier.js";
import { DevTokenIssuer } from "../auth/dev-token-issuer.js";
import type { AuthenticatedUser, TokenVerifier } from "../auth/token-verifier.js";
import type { Config } from "../config/config.js";

declare module "fastify" {
  interface FastifyRequest {
    /** The verified caller; every query of an onboarding route is scoped by `auth.userId`. */
    auth: AuthenticatedUser;
  }
}

export interface Authentication {
  readonly verifier: TokenVerifier;
  /** Only in dev mode: mints tokens for POST /api/dev/token. */
  readonly devIssuer: DevTokenIssuer | undefined;
}

/** Both modes verify through the same cache: a client sends one token for many requests. */
export async function createAuthentication(config: Pick<Config, "authMode" | "clerk">): Promise<Authentication> {
  if (config.authMode === "clerk") return { verifier: new CachedTokenVerifier(await createTokenVerifier(config.clerk)), devIssuer: undefined };
  const devIssuer = await DevTokenIssuer.create();
  return { verifier: new CachedTokenVerifier(devIssuer.verifier), devIssuer };
}

/**
 * One hook for every route registered in `scope`: it runs before the body is read, so an
 * unauthenticated caller learns nothing (not even whether the body was too large).
 */
export function requireAuthentication(scope: FastifyInstance, verifier: TokenVerifier): void {
  scope.decorateRequest("auth", undefined as unknown as AuthenticatedUser);
  scope.addHook("onRequest", async (request) => {
    // No child logger per request: the lines that concern a user name `user_id` themselves.
    request.auth = await verifier.verify(readBearerToken(request.headers.authorization));
  });
}
