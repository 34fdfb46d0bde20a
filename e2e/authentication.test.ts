import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, UnsecuredJWT, type CryptoKey, type JWK, type JWTPayload } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestApp, type TestApp } from "../src/test-support/test-app.js";
import { TEST_DIALECTS } from "../src/test-support/test-database.js";
import { expectErrorShape, rowCount } from "./hardening-support.js";

const ISSUER = "https://clerk.hardening.test";
const PARTY = "https://app.hardening.test";
const KID = "clerk-kid-1";

interface ClerkKeys {
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
  readonly publicPem: string;
}

async function clerkKeys(kid: string): Promise<ClerkKeys> {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  return { privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" }, publicPem: await exportSPKI(publicKey) };
}

const now = (): number => Math.floor(Date.now() / 1000);

function claims(overrides: JWTPayload = {}): JWTPayload {
  return { sub: "user_clerk_1", iss: ISSUER, azp: PARTY, iat: now(), nbf: now(), exp: now() + 60, ...overrides };
}

function sign(key: CryptoKey, payload: JWTPayload, kid = KID): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: "RS256", kid, typ: "JWT" }).sign(key);
}

/** Clerk's JWKS endpoint, on loopback. */
async function startJwksServer(keys: () => JWK[]): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((request, response) => {
    if (request.url !== "/.well-known/jwks.json") return void response.writeHead(404).end();
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ keys: keys() }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe.each(TEST_DIALECTS)("authentication over HTTP in clerk mode on %s", (dialect) => {
  let t: TestApp;
  let keys: ClerkKeys;
  let jwks: Awaited<ReturnType<typeof startJwksServer>>;

  beforeAll(async () => {
    keys = await clerkKeys(KID);
    jwks = await startJwksServer(() => [keys.publicJwk]);
    t = await openTestApp(dialect, {
      STORAGE_MODE: "dual",
      AUTH_MODE: "clerk",
      CLERK_JWKS_URL: jwks.url,
      CLERK_ISSUER: ISSUER,
      CLERK_AUTHORIZED_PARTIES: `${PARTY},https://admin.hardening.test`,
      ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    });
  });
  afterAll(async () => {
    await t.close();
    await jwks.close();
  });

  const call = async (token: string, method: "GET" | "PUT" = "GET", url = "/api/onboarding/init", payload?: object) => {
    const response = await t.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
    return { status: response.statusCode, body: response.json(), text: response.body };
  };

  it("serves a good token, scoped to its sub", async () => {
    const first = await sign(keys.privateKey, claims());
    const second = await sign(keys.privateKey, claims({ sub: "user_clerk_2", azp: "https://admin.hardening.test" }));
    expect((await call(first)).body.user).toEqual({ id: "user_clerk_1" });

    expect((await call(first, "PUT", "/api/onboarding/step/1", { data: { api_keys: { openai: "sk-clerk-user-one-0001" } } })).status).toBe(200);
    const mine = await call(first, "GET", "/api/onboarding/api-keys");
    expect(mine.body.api_keys).toEqual({ openai: "******************0001" });
    const theirs = await call(second, "GET", "/api/onboarding/progress");
    expect(theirs.status).toBe(200);
    expect(theirs.body.started_at).toBeNull();
    expect(theirs.text).not.toContain("0001");
  });

  it("answers a pending Clerk session (sts: pending) with 401 session_pending, storing nothing; sts-less and active sessions are served", async () => {
    const pending = await sign(keys.privateKey, claims({ sub: "user_clerk_pending", sts: "pending" }));
    const refused = await call(pending, "PUT", "/api/onboarding/step/1", { data: { api_keys: { openai: "sk-clerk-pending-0002" } } });
    expectErrorShape(refused, 401, "session_pending");
    expect(refused.body.detail).not.toMatch(/sts|pending/);
    const sameUserActive = await sign(keys.privateKey, claims({ sub: "user_clerk_pending", sts: "active" }));
    expect((await call(sameUserActive, "GET", "/api/onboarding/progress")).body.started_at).toBeNull();
    expect((await call(await sign(keys.privateKey, claims({ sub: "user_clerk_pending" })))).status).toBe(200);
  });

  it("allows 5 s of clock skew on exp and nbf, not more", async () => {
    expect((await call(await sign(keys.privateKey, claims({ exp: now() - 2 })))).status).toBe(200);
    expect((await call(await sign(keys.privateKey, claims({ nbf: now() + 2 })))).status).toBe(200);
    expectErrorShape(await call(await sign(keys.privateKey, claims({ exp: now() - 30 }))), 401, "unauthorized");
    expectErrorShape(await call(await sign(keys.privateKey, claims({ nbf: now() + 60 }))), 401, "unauthorized");
  });

  it("refuses every forged, stale or foreign token with 401 and the error shape, storing nothing", async () => {
    const sessionsBefore = await rowCount(t, "onboarding_sessions");
    const stranger = await clerkKeys("stranger-kid");
    const good = await sign(keys.privateKey, claims({ sub: "user_victim" }));
    const [header, , signature] = good.split(".");
    const swappedPayload = Buffer.from(JSON.stringify(claims({ sub: "user_attacker" }))).toString("base64url");
    const { exp: _exp, ...withoutExp } = claims();
    const { azp: _azp, ...withoutAzp } = claims();
    const { sub: _sub, ...withoutSub } = claims();

    const forged: [string, string][] = [
      ["alg none", new UnsecuredJWT(claims()).encode()],
      ["HS256 with the public key PEM as secret", await new SignJWT(claims()).setProtectedHeader({ alg: "HS256", kid: KID }).sign(new TextEncoder().encode(keys.publicPem))],
      ["expired", await sign(keys.privateKey, claims({ iat: now() - 3600, nbf: now() - 3600, exp: now() - 600 }))],
      ["not yet valid", await sign(keys.privateKey, claims({ nbf: now() + 600, exp: now() + 1200 }))],
      ["wrong issuer", await sign(keys.privateKey, claims({ iss: "https://evil.example" }))],
      ["no issuer", await sign(keys.privateKey, claims({ iss: undefined }))],
      ["wrong authorized party", await sign(keys.privateKey, claims({ azp: "https://evil.example" }))],
      ["no authorized party", await sign(keys.privateKey, withoutAzp)],
      ["no exp", await sign(keys.privateKey, withoutExp)],
      ["no sub", await sign(keys.privateKey, withoutSub)],
      ["sub of 300 characters", await sign(keys.privateKey, claims({ sub: "u".repeat(300) }))],
      ["sub with an unpaired surrogate", await sign(keys.privateKey, claims({ sub: "user_clerk_1\ud800" }))],
      ["unknown kid", await sign(stranger.privateKey, claims(), "stranger-kid")],
      ["another key claiming the known kid", await sign(stranger.privateKey, claims())],
      ["payload swapped under a good signature", `${header}.${swappedPayload}.${signature}`],
      ["garbage", "not-a-token"],
      ["three garbage parts", "aaa.bbb.ccc"],
    ];
    for (const [name, token] of forged) {
      const response = await call(token);
      expect(response.status, name).toBe(401);
      expectErrorShape(response, 401, "unauthorized");
      expect(response.text).not.toContain("user_attacker");
      const write = await call(token, "PUT", "/api/onboarding/step/1", { data: { api_keys: { openai: "sk-forged-write-9999" } } });
      expect(write.status, name).toBe(401);
    }
    expect(await rowCount(t, "onboarding_sessions")).toBe(sessionsBefore);
    const logged = t.logs.join("\n");
    for (const [, token] of forged) expect(logged).not.toContain(token);
  });

  it("has no dev token route", async () => {
    const response = await t.app.inject({ method: "POST", url: "/api/dev/token", payload: { user_id: "user_clerk_1" } });
    expectErrorShape({ status: response.statusCode, body: response.json(), text: response.body }, 404, "not_found");
    expect(response.body).not.toMatch(/"token"/);
  });
});
