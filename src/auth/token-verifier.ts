import { jwtVerify, type JWTPayload } from "jose";
import { SessionPending, Unauthorized } from "../errors/app-errors.js";
import { isValidUserId } from "./user-id.js";
import { unauthorizedFrom } from "./verification-failure.js";
import { SIGNING_ALGORITHM, type VerificationKey } from "./verification-key.js";

export interface AuthenticatedUser {
  readonly userId: string;
}

export interface TokenVerifier {
  /** Resolves the token's user, or rejects with Unauthorized saying briefly why not. */
  verify(token: string): Promise<AuthenticatedUser>;
}

export interface JwtTokenVerifierOptions {
  readonly key: VerificationKey;
  /** When set, the token's `iss` must equal it. */
  readonly issuer: string | undefined;
  /** When non-empty, the token's `azp` must be one of these. */
  readonly authorizedParties: readonly string[];
}

/** Clerk's own SDK allows 5 s of clock skew between its servers and ours. */
export const CLOCK_TOLERANCE_SECONDS = 5;

/**
 * The one verifier behind both auth modes: clerk mode feeds it Clerk's key, dev mode its own
 * in-memory key, so dev exercises exactly the checks production relies on.
 */
export class JwtTokenVerifier implements TokenVerifier {
  readonly #key: VerificationKey;
  readonly #issuer: string | undefined;
  readonly #authorizedParties: ReadonlySet<string>;

  constructor(options: JwtTokenVerifierOptions) {
    this.#key = options.key;
    this.#issuer = options.issuer;
    this.#authorizedParties = new Set(options.authorizedParties);
  }

  async verify(token: string): Promise<AuthenticatedUser> {
    if (token === "") throw new Unauthorized("token is empty");
    const payload = await this.#verifiedPayload(token);
    this.#checkAuthorizedParty(payload);
    refusePendingSession(payload);
    return Object.freeze({ userId: subjectOf(payload) });
  }

  async #verifiedPayload(token: string): Promise<JWTPayload> {
    try {
      const { payload } = await jwtVerify(token, this.#key, {
        // Pinning the algorithm is what defeats `alg: none` and HS256-with-the-public-key forgeries.
        algorithms: [SIGNING_ALGORITHM],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        // A token without `exp` would never expire.
        requiredClaims: ["sub", "exp"],
        ...(this.#issuer === undefined ? {} : { issuer: this.#issuer }),
      });
      return payload;
    } catch (error) {
      throw unauthorizedFrom(error);
    }
  }

  #checkAuthorizedParty(payload: JWTPayload): void {
    if (this.#authorizedParties.size === 0) return;
    const azp = payload["azp"];
    // A token without `azp` is refused too: the configured list is an allow-list, not a deny-list.
    if (typeof azp !== "string" || !this.#authorizedParties.has(azp)) {
      throw new Unauthorized("token authorized party is not accepted");
    }
  }
}

/**
 * Clerk's session status claim: "pending" while the session has tasks left. Clerk's own SDKs
 * treat such a session as signed out, and so do we; tokens without `sts` (older sessions, dev
 * mode) are active ones.
 */
function refusePendingSession(payload: JWTPayload): void {
  if (payload["sts"] === "pending") {
    throw new SessionPending("Your sign-in is not finished yet: complete the remaining sign-in steps, then try again");
  }
}

function subjectOf(payload: JWTPayload): string {
  if (!isValidUserId(payload.sub)) throw new Unauthorized("token subject is not a valid user id");
  return payload.sub;
}
