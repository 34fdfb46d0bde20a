import { exportSPKI, generateKeyPair, SignJWT, UnsecuredJWT, type CryptoKey, type JWTPayload } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { Unauthorized } from "../errors/app-errors.js";
import { createTokenVerifier } from "./create-token-verifier.js";
import type { TokenVerifier } from "./token-verifier.js";

const ISSUER = "https://clerk.example.test";
const PARTY = "https://app.example.test";

interface KeyPair {
  readonly privateKey: CryptoKey;
  readonly publicPem: string;
}

async function rsaKeyPair(): Promise<KeyPair> {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  return { privateKey, publicPem: await exportSPKI(publicKey) };
}

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

function goodClaims(overrides: JWTPayload = {}): JWTPayload {
  const now = nowSeconds();
  return { sub: "user_2abc", iss: ISSUER, azp: PARTY, iat: now, nbf: now, exp: now + 60, ...overrides };
}

function sign(key: CryptoKey, claims: JWTPayload, kid = "kid-1"): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: "RS256", kid, typ: "JWT" }).sign(key);
}

async function rejection(verifier: TokenVerifier, token: string): Promise<Unauthorized> {
  const error: unknown = await verifier.verify(token).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Unauthorized);
  return error as Unauthorized;
}

describe("JwtTokenVerifier with a PEM key (clerk mode)", () => {
  let keys: KeyPair;
  let verifier: TokenVerifier;

  beforeAll(async () => {
    keys = await rsaKeyPair();
    verifier = await createTokenVerifier({
      jwtKey: keys.publicPem,
      jwksUrl: undefined,
      issuer: ISSUER,
      authorizedParties: [PARTY, "https://other.example.test"],
    });
  });

  it("accepts a well-formed RS256 token and returns its subject", async () => {
    const user = await verifier.verify(await sign(keys.privateKey, goodClaims()));
    expect(user).toEqual({ userId: "user_2abc" });
  });

  it("accepts a legacy numeric-string user id", async () => {
    const user = await verifier.verify(await sign(keys.privateKey, goodClaims({ sub: "42" })));
    expect(user.userId).toBe("42");
  });

  it("rejects alg none", async () => {
    const token = new UnsecuredJWT(goodClaims()).encode();
    expect((await rejection(verifier, token)).message).toBe("token algorithm is not allowed (RS256 only)");
  });

  it("rejects HS256 signed with the public key PEM as HMAC secret", async () => {
    const token = await new SignJWT(goodClaims())
      .setProtectedHeader({ alg: "HS256" })
      .sign(new TextEncoder().encode(keys.publicPem));
    expect((await rejection(verifier, token)).message).toBe("token algorithm is not allowed (RS256 only)");
  });

  it("rejects RS512 even with the right key", async () => {
    const { privateKey } = await generateKeyPair("RS512");
    const token = await new SignJWT(goodClaims()).setProtectedHeader({ alg: "RS512" }).sign(privateKey);
    expect((await rejection(verifier, token)).message).toMatch(/algorithm/);
  });

  it("rejects a token expired beyond the 5 s tolerance", async () => {
    const now = nowSeconds();
    const token = await sign(keys.privateKey, goodClaims({ iat: now - 120, nbf: now - 120, exp: now - 30 }));
    expect((await rejection(verifier, token)).message).toBe("token has expired");
  });

  it("accepts a token expired within the 5 s tolerance", async () => {
    const now = nowSeconds();
    const token = await sign(keys.privateKey, goodClaims({ iat: now - 60, nbf: now - 60, exp: now - 2 }));
    await expect(verifier.verify(token)).resolves.toEqual({ userId: "user_2abc" });
  });

  it("rejects a token whose nbf is beyond the 5 s tolerance", async () => {
    const now = nowSeconds();
    const token = await sign(keys.privateKey, goodClaims({ nbf: now + 30, exp: now + 120 }));
    expect((await rejection(verifier, token)).message).toBe("token is not yet valid");
  });

  it("accepts a token whose nbf is within the 5 s tolerance", async () => {
    const now = nowSeconds();
    const token = await sign(keys.privateKey, goodClaims({ nbf: now + 2, exp: now + 120 }));
    await expect(verifier.verify(token)).resolves.toEqual({ userId: "user_2abc" });
  });

  it("rejects a token without exp", async () => {
    const { exp: _exp, ...claims } = goodClaims();
    expect((await rejection(verifier, await sign(keys.privateKey, claims))).message).toBe('token has no "exp" claim');
  });

  it("rejects the wrong issuer", async () => {
    const token = await sign(keys.privateKey, goodClaims({ iss: "https://evil.example.test" }));
    expect((await rejection(verifier, token)).message).toBe("token issuer is not accepted");
  });

  it("rejects a missing issuer when one is configured", async () => {
    const { iss: _iss, ...claims } = goodClaims();
    expect((await rejection(verifier, await sign(keys.privateKey, claims))).message).toBe('token has no "iss" claim');
  });

  it("rejects an azp outside the authorized parties, and a missing azp", async () => {
    const wrong = await sign(keys.privateKey, goodClaims({ azp: "https://evil.example.test" }));
    expect((await rejection(verifier, wrong)).message).toBe("token authorized party is not accepted");
    const { azp: _azp, ...claims } = goodClaims();
    expect((await rejection(verifier, await sign(keys.privateKey, claims))).message).toBe(
      "token authorized party is not accepted",
    );
  });

  it("refuses a pending Clerk session (sts: pending) with session_pending, and accepts active or sts-less ones", async () => {
    const pending = await rejection(verifier, await sign(keys.privateKey, goodClaims({ sts: "pending" })));
    expect(pending.code).toBe("session_pending");
    expect(pending.status).toBe(401);
    expect(await verifier.verify(await sign(keys.privateKey, goodClaims({ sts: "active" })))).toEqual({ userId: "user_2abc" });
    expect(await verifier.verify(await sign(keys.privateKey, goodClaims()))).toEqual({ userId: "user_2abc" });
  });

  it("accepts any other configured authorized party", async () => {
    const token = await sign(keys.privateKey, goodClaims({ azp: "https://other.example.test" }));
    await expect(verifier.verify(token)).resolves.toEqual({ userId: "user_2abc" });
  });

  it("rejects a missing sub", async () => {
    const { sub: _sub, ...claims } = goodClaims();
    expect((await rejection(verifier, await sign(keys.privateKey, claims))).message).toBe('token has no "sub" claim');
  });

  it.each([
    ["empty", ""],
    ["with a control character", "user\u0000x"],
    ["longer than 255 characters", "u".repeat(256)],
  ])("rejects a sub that is %s", async (_label, sub) => {
    const token = await sign(keys.privateKey, goodClaims({ sub }));
    expect((await rejection(verifier, token)).message).toBe("token subject is not a valid user id");
  });

  it("accepts a sub of exactly 255 characters", async () => {
    const sub = "é".repeat(255);
    await expect(verifier.verify(await sign(keys.privateKey, goodClaims({ sub })))).resolves.toEqual({ userId: sub });
  });

  it("rejects a token signed by another RSA key, whatever its kid", async () => {
    const other = await rsaKeyPair();
    const token = await sign(other.privateKey, goodClaims(), "kid-1");
    expect((await rejection(verifier, token)).message).toBe("token signature is invalid");
  });

  it("rejects a token whose payload was altered after signing", async () => {
    const [header, , signature] = (await sign(keys.privateKey, goodClaims())).split(".");
    const forged = Buffer.from(JSON.stringify(goodClaims({ sub: "someone_else" }))).toString("base64url");
    expect((await rejection(verifier, `${header}.${forged}.${signature}`)).message).toBe("token signature is invalid");
  });

  it.each([
    ["garbage", "not-a-jwt"],
    ["three garbage segments", "a.b.c"],
    ["empty", ""],
  ])("rejects a %s token without echoing it", async (_label, token) => {
    const error = await rejection(verifier, token);
    expect(error.status).toBe(401);
    if (token !== "") expect(error.message).not.toContain(token);
  });

  it("never puts the token into the error message", async () => {
    const token = await sign(keys.privateKey, goodClaims({ iss: "https://evil.example.test" }));
    const error = await rejection(verifier, token);
    expect(error.message).not.toContain(token.split(".")[2]);
    expect(JSON.stringify(error)).not.toContain(token.split(".")[1]);
    // jose hangs the decoded claims on its errors; they must not travel with the 401.
    expect(error.cause).toBeUndefined();
  });
});

describe("JwtTokenVerifier without issuer or party configuration", () => {
  it("accepts any iss and any or no azp", async () => {
    const keys = await rsaKeyPair();
    const verifier = await createTokenVerifier({
      jwtKey: keys.publicPem,
      jwksUrl: undefined,
      issuer: undefined,
      authorizedParties: [],
    });
    const { azp: _azp, ...claims } = goodClaims({ iss: "https://anyone.example.test" });
    await expect(verifier.verify(await sign(keys.privateKey, claims))).resolves.toEqual({ userId: "user_2abc" });
  });
});
