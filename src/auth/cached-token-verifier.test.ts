import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { Unauthorized } from "../errors/app-errors.js";
import { CachedTokenVerifier } from "./cached-token-verifier.js";
import { DevTokenIssuer } from "./dev-token-issuer.js";
import type { AuthenticatedUser, TokenVerifier } from "./token-verifier.js";

/** The real verifier, counting the full verifications that reach it. */
class CountingVerifier implements TokenVerifier {
  calls = 0;
  constructor(readonly inner: TokenVerifier) {}
  verify(token: string): Promise<AuthenticatedUser> {
    this.calls++;
    return this.inner.verify(token);
  }
}

async function setUp(options: { maxEntries?: number } = {}) {
  const issuer = await DevTokenIssuer.create();
  const counting = new CountingVerifier(issuer.verifier);
  let now = Date.now();
  const cached = new CachedTokenVerifier(counting, { ...options, now: () => now });
  return { issuer, counting, cached, setNow: (ms: number) => (now = ms) };
}

describe("CachedTokenVerifier", () => {
  it("verifies a token fully once, then answers the same user from memory", async () => {
    const { issuer, counting, cached } = await setUp();
    const token = await issuer.issue("user_2abc");
    const first = await cached.verify(token);
    const second = await cached.verify(token);
    expect(first.userId).toBe("user_2abc");
    expect(second).toEqual(first);
    expect(counting.calls).toBe(1);
  });

  it("answers from memory until the token's exp, never at or past it: then the full check runs again", async () => {
    const { issuer, counting, cached, setNow } = await setUp();
    const token = await issuer.issue("user_2abc");
    const expiresAtMs = (decodeJwt(token).exp as number) * 1000;
    await cached.verify(token);
    setNow(expiresAtMs - 1);
    await cached.verify(token);
    expect(counting.calls).toBe(1);
    setNow(expiresAtMs);
    await cached.verify(token);
    expect(counting.calls).toBe(2);
  });

  it("does not remember refusals: a bad token is checked in full every time", async () => {
    const { counting, cached } = await setUp();
    await expect(cached.verify("not.a.token")).rejects.toBeInstanceOf(Unauthorized);
    await expect(cached.verify("not.a.token")).rejects.toBeInstanceOf(Unauthorized);
    expect(counting.calls).toBe(2);
  });

  it("tells tokens apart by their whole text: a token with one character changed is verified (and refused)", async () => {
    const { issuer, counting, cached } = await setUp();
    const token = await issuer.issue("user_2abc");
    await cached.verify(token);
    // A character inside the signature (the last one may carry only padding bits).
    const at = token.length - 10;
    const changed = token.slice(0, at) + (token[at] === "A" ? "B" : "A") + token.slice(at + 1);
    await expect(cached.verify(changed)).rejects.toBeInstanceOf(Unauthorized);
    expect(counting.calls).toBe(2);
  });

  it("keeps at most maxEntries tokens, forgetting the oldest first", async () => {
    const { issuer, counting, cached } = await setUp({ maxEntries: 2 });
    const [a, b, c] = await Promise.all(["user_a", "user_b", "user_c"].map((id) => issuer.issue(id)));
    for (const token of [a, b, c]) await cached.verify(token as string);
    expect(counting.calls).toBe(3);
    await cached.verify(c as string);
    await cached.verify(b as string);
    expect(counting.calls).toBe(3);
    expect((await cached.verify(a as string)).userId).toBe("user_a");
    expect(counting.calls).toBe(4);
  });
});
