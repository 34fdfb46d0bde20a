import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type CryptoKey } from "jose";
import { ValidationFailed } from "../errors/app-errors.js";
import { JwtTokenVerifier, type TokenVerifier } from "./token-verifier.js";
import { userIdProblem } from "./user-id.js";
import { SIGNING_ALGORITHM } from "./verification-key.js";

export const DEV_TOKEN_ISSUER = "onboarding-service-dev";
const TOKEN_LIFETIME_SECONDS = 60 * 60;

/**
 * Dev mode's stand-in for Clerk: a key pair made at start and kept in memory only, so tokens die
 * with the process. Its `verifier` is the same JwtTokenVerifier clerk mode uses.
 */
export class DevTokenIssuer {
  readonly verifier: TokenVerifier;
  readonly #privateKey: CryptoKey;
  readonly #kid: string;

  private constructor(privateKey: CryptoKey, kid: string, verifier: TokenVerifier) {
    this.#privateKey = privateKey;
    this.#kid = kid;
    this.verifier = verifier;
  }

  static async create(): Promise<DevTokenIssuer> {
    const { privateKey, publicKey } = await generateKeyPair(SIGNING_ALGORITHM);
    const kid = await calculateJwkThumbprint(await exportJWK(publicKey));
    const verifier = new JwtTokenVerifier({ key: publicKey, issuer: DEV_TOKEN_ISSUER, authorizedParties: [] });
    return new DevTokenIssuer(privateKey, kid, verifier);
  }

  /** A Clerk-shaped session token for `userId`; ValidationFailed on `user_id` when the id is unusable. */
  async issue(userId: string): Promise<string> {
    assertUserId(userId);
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({})
      .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: this.#kid, typ: "JWT" })
      .setSubject(userId)
      .setIssuer(DEV_TOKEN_ISSUER)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + TOKEN_LIFETIME_SECONDS)
      .sign(this.#privateKey);
  }
}

function assertUserId(userId: string): void {
  const problem = userIdProblem(userId);
  if (problem === undefined) return;
  const message = `user_id ${problem}`;
  throw new ValidationFailed(message, [{ path: "user_id", message }]);
}
