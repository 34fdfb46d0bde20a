import { createHash } from "node:crypto";
import { decodeJwt } from "jose";
import type { AuthenticatedUser, TokenVerifier } from "./token-verifier.js";

export interface CachedTokenVerifierOptions {
  /** How many verified tokens are remembered; the oldest is forgotten first. */
  readonly maxEntries?: number;
  /** Milliseconds since the epoch; tests move it. */
  readonly now?: () => number;
}

const DEFAULT_MAX_ENTRIES = 10_000;

/**
 * Remembers the tokens `inner` has fully verified, so that a client's next request with the same
 * token skips the RS256 signature check (about 50 µs). Only successes are remembered, by a hash of
 * the token (the tokens themselves are not kept), and never past the token's `exp`: a remembered
 * token is accepted no longer than the full check would accept it. Per process, bounded.
 */
export class CachedTokenVerifier implements TokenVerifier {
  readonly #inner: TokenVerifier;
  readonly #maxEntries: number;
  readonly #now: () => number;
  readonly #verified = new Map<string, { readonly user: AuthenticatedUser; readonly expiresAtMs: number }>();

  constructor(inner: TokenVerifier, options: CachedTokenVerifierOptions = {}) {
    this.#inner = inner;
    this.#maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    this.#now = options.now ?? Date.now;
  }

  async verify(token: string): Promise<AuthenticatedUser> {
    const key = createHash("sha256").update(token).digest("base64url");
    const remembered = this.#verified.get(key);
    if (remembered !== undefined && this.#now() < remembered.expiresAtMs) return remembered.user;
    if (remembered !== undefined) this.#verified.delete(key);
    const user = await this.#inner.verify(token);
    // Read only after the full check passed, which requires `exp`: the claims are then the signed ones.
    const { exp } = decodeJwt(token);
    if (typeof exp === "number") this.#remember(key, { user, expiresAtMs: exp * 1000 });
    return user;
  }

  #remember(key: string, entry: { readonly user: AuthenticatedUser; readonly expiresAtMs: number }): void {
    if (this.#verified.size >= this.#maxEntries) {
      const oldest = this.#verified.keys().next().value;
      if (oldest !== undefined) this.#verified.delete(oldest);
    }
    this.#verified.set(key, entry);
  }
}
