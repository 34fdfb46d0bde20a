import type { ClerkVerification } from "../config/config.js";
import { ConfigError } from "../config/config-error.js";
import { JwtTokenVerifier, type TokenVerifier } from "./token-verifier.js";
import { importPemKey, remoteJwksKey, type JwksOptions, type VerificationKey } from "./verification-key.js";

/**
 * The clerk-mode verifier. A PEM key wins over a JWKS URL when both are set, as in Clerk's SDK:
 * it needs no network on the request path. `jwks` tunes the JWKS cache (tests shorten the cooldown).
 */
export async function createTokenVerifier(
  clerk: ClerkVerification,
  jwks: Partial<JwksOptions> = {},
): Promise<TokenVerifier> {
  return new JwtTokenVerifier({
    key: await verificationKeyFor(clerk, jwks),
    issuer: clerk.issuer,
    authorizedParties: clerk.authorizedParties,
  });
}

async function verificationKeyFor(clerk: ClerkVerification, jwks: Partial<JwksOptions>): Promise<VerificationKey> {
  if (clerk.jwtKey !== undefined) return importClerkPem(clerk.jwtKey);
  if (clerk.jwksUrl !== undefined) return remoteJwksKey(clerk.jwksUrl, jwks);
  throw new ConfigError("CLERK_JWT_KEY", "clerk mode needs CLERK_JWT_KEY (PEM public key) or CLERK_JWKS_URL");
}

async function importClerkPem(pem: string): Promise<VerificationKey> {
  try {
    return await importPemKey(pem);
  } catch {
    throw new ConfigError("CLERK_JWT_KEY", "is not an RSA public key usable for RS256 (PEM SPKI expected)");
  }
}
