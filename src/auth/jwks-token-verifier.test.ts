import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";
import { afterEach, describe, expect, it } from "vitest";
import { Unauthorized } from "../errors/app-errors.js";
import { createTokenVerifier } from "./create-token-verifier.js";
import type { TokenVerifier } from "./token-verifier.js";
import { KeySourceUnavailable, type JwksOptions } from "./verification-key.js";

interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
}

async function signingKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" } };
}

function tokenFor(key: SigningKey, sub = "user_jwks", kid = key.kid): Promise<string> {
  return new SignJWT({ sub })
    .setProtectedHeader({ alg: "RS256", kid })
    .setIssuedAt()
    .setExpirationTime("5m")
    .sign(key.privateKey);
}

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/** A stand-in for Clerk's JWKS endpoint on loopback; `hits` counts GETs of the key set. */
class JwksServer {
  hits = 0;
  keys: SigningKey[] = [];
  readonly #server: Server;

  private constructor(handler?: Handler) {
    this.#server = createServer(handler ?? ((request, response) => this.#serveKeys(request, response)));
  }

  static async start(handler?: Handler): Promise<JwksServer> {
    const jwks = new JwksServer(handler);
    await new Promise<void>((resolve) => jwks.#server.listen(0, "127.0.0.1", resolve));
    return jwks;
  }

  get url(): URL {
    const { port } = this.#server.address() as AddressInfo;
    return new URL(`http://127.0.0.1:${port}/.well-known/jwks.json`);
  }

  async stop(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #serveKeys(request: IncomingMessage, response: ServerResponse): void {
    if (request.url !== "/.well-known/jwks.json") {
      response.writeHead(404).end();
      return;
    }
    this.hits += 1;
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ keys: this.keys.map((key) => key.publicJwk) }));
  }
}

const servers: JwksServer[] = [];

async function startServer(handler?: Handler): Promise<JwksServer> {
  const server = await JwksServer.start(handler);
  servers.push(server);
  return server;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

function verifierFor(url: URL, jwks: Partial<JwksOptions> = {}): Promise<TokenVerifier> {
  return createTokenVerifier({ jwtKey: undefined, jwksUrl: url, issuer: undefined, authorizedParties: [] }, jwks);
}

async function rejection(verifier: TokenVerifier, token: string): Promise<Unauthorized> {
  const error: unknown = await verifier.verify(token).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Unauthorized);
  return error as Unauthorized;
}

describe("JwtTokenVerifier with a JWKS URL (clerk mode)", () => {
  it("verifies a good token and serves later tokens from the cache", async () => {
    const server = await startServer();
    const key = await signingKey("kid-1");
    server.keys = [key];
    const verifier = await verifierFor(server.url);

    await expect(verifier.verify(await tokenFor(key))).resolves.toEqual({ userId: "user_jwks" });
    await expect(verifier.verify(await tokenFor(key, "user_other"))).resolves.toEqual({ userId: "user_other" });
    expect(server.hits).toBe(1);
  });

  it("refetches the key set when a token carries a new kid after rotation", async () => {
    const server = await startServer();
    const oldKey = await signingKey("kid-old");
    const newKey = await signingKey("kid-new");
    server.keys = [oldKey];
    const verifier = await verifierFor(server.url, { cooldownMs: 0 });
    await verifier.verify(await tokenFor(oldKey));
    expect(server.hits).toBe(1);

    server.keys = [newKey];
    await expect(verifier.verify(await tokenFor(newKey))).resolves.toEqual({ userId: "user_jwks" });
    expect(server.hits).toBe(2);
  });

  it("rejects an unknown kid after refetching", async () => {
    const server = await startServer();
    server.keys = [await signingKey("kid-1")];
    const verifier = await verifierFor(server.url, { cooldownMs: 0 });
    const stranger = await signingKey("kid-unknown");

    const error = await rejection(verifier, await tokenFor(stranger));
    expect(error.message).toBe("token signing key is not recognised");
    expect(server.hits).toBe(2);
  });

  it("does not refetch for unknown kids within the cooldown", async () => {
    const server = await startServer();
    const key = await signingKey("kid-1");
    server.keys = [key];
    const verifier = await verifierFor(server.url);
    await verifier.verify(await tokenFor(key));

    for (const kid of ["forged-1", "forged-2", "forged-3"]) {
      expect((await rejection(verifier, await tokenFor(key, "user_jwks", kid))).message).toBe(
        "token signing key is not recognised",
      );
    }
    expect(server.hits).toBe(1);
  });

  it("rejects a token signed by another key that claims a known kid", async () => {
    const server = await startServer();
    server.keys = [await signingKey("kid-1")];
    const verifier = await verifierFor(server.url);
    const impostor = await signingKey("kid-1");

    expect((await rejection(verifier, await tokenFor(impostor))).message).toBe("token signature is invalid");
  });

  it("answers 401, not a crash, when the JWKS server is down", async () => {
    const server = await startServer();
    const key = await signingKey("kid-1");
    const url = server.url;
    await servers.splice(0)[0]?.stop();
    const verifier = await verifierFor(url);

    const error = await rejection(verifier, await tokenFor(key));
    expect(error.message).toBe("token signing keys are unavailable");
    expect(error.cause).toBeInstanceOf(KeySourceUnavailable);
  });

  it("answers 401 when the JWKS server fails with 500", async () => {
    const server = await startServer((_request, response) => response.writeHead(500).end("boom"));
    const verifier = await verifierFor(server.url);

    const error = await rejection(verifier, await tokenFor(await signingKey("kid-1")));
    expect(error.message).toBe("token signing keys are unavailable");
  });

  it("answers 401 when the JWKS server never responds", async () => {
    const server = await startServer(() => undefined);
    const verifier = await verifierFor(server.url, { timeoutMs: 100 });

    const error = await rejection(verifier, await tokenFor(await signingKey("kid-1")));
    expect(error.message).toBe("token signing keys are unavailable");
  });

  it("recovers once the JWKS server is back", async () => {
    let healthy = false;
    const key = await signingKey("kid-1");
    const server = await startServer((_request, response) => {
      if (!healthy) return void response.writeHead(503).end();
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ keys: [key.publicJwk] }));
    });
    const verifier = await verifierFor(server.url);

    await rejection(verifier, await tokenFor(key));
    healthy = true;
    await expect(verifier.verify(await tokenFor(key))).resolves.toEqual({ userId: "user_jwks" });
  });
});
