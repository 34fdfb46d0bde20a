import { createRemoteJWKSet, errors, importSPKI } from "jose";
import type { CryptoKey, JWTVerifyGetKey } from "jose";

/** Either one fixed public key or a resolver that picks a key by the token's `kid`. */
export type VerificationKey = CryptoKey | JWTVerifyGetKey;

export const SIGNING_ALGORITHM = "RS256";

export interface JwksOptions {
  /** Verification happens on the request path, so a slow JWKS endpoint must fail fast. */
  readonly timeoutMs: number;
  /** Minimum gap between refetches triggered by unknown `kid`s, so forged kids cannot flood the endpoint. */
  readonly cooldownMs: number;
  /** How long fetched keys are trusted before a refetch, so a revoked key stops verifying. */
  readonly cacheMaxAgeMs: number;
}

export const DEFAULT_JWKS_OPTIONS: JwksOptions = Object.freeze({
  timeoutMs: 3_000,
  cooldownMs: 30_000,
  cacheMaxAgeMs: 10 * 60_000,
});

/** The JWKS endpoint could not be reached or answered nonsense: not the caller's fault, but still no identity. */
export class KeySourceUnavailable extends Error {
  constructor(url: URL, cause: unknown) {
    super(`JWKS at ${url.origin}${url.pathname} is unavailable`, { cause });
    this.name = "KeySourceUnavailable";
  }
}

/** Imports a PEM SPKI public key; throws when it is not an RSA key usable for RS256. */
export function importPemKey(pem: string): Promise<CryptoKey> {
  return importSPKI(pem, SIGNING_ALGORITHM);
}

/** A cached resolver over a JWKS URL that refetches on an unknown `kid` (at most once per cooldown). */
export function remoteJwksKey(url: URL, options: Partial<JwksOptions> = {}): JWTVerifyGetKey {
  const { timeoutMs, cooldownMs, cacheMaxAgeMs } = { ...DEFAULT_JWKS_OPTIONS, ...options };
  const jwks = createRemoteJWKSet(url, {
    timeoutDuration: timeoutMs,
    cooldownDuration: cooldownMs,
    cacheMaxAge: cacheMaxAgeMs,
  });
  return async (header, token) => {
    try {
      return await jwks(header, token);
    } catch (error) {
      // A missing kid is the token's problem; anything else means we could not consult the keys.
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) throw error;
      throw new KeySourceUnavailable(url, error);
    }
  };
}
