import { exportSPKI, generateKeyPair, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { createTokenVerifier } from "./create-token-verifier.js";

describe("createTokenVerifier", () => {
  it("refuses a PEM that is not an RSA public key, without echoing it", async () => {
    const { publicKey } = await generateKeyPair("ES256");
    const pem = await exportSPKI(publicKey);
    const attempt = createTokenVerifier({ jwtKey: pem, jwksUrl: undefined, issuer: undefined, authorizedParties: [] });
    await expect(attempt).rejects.toThrow(/^CLERK_JWT_KEY: is not an RSA public key/);
    await expect(attempt).rejects.not.toThrow(pem.split("\n")[1]);
  });

  it("prefers the networkless PEM key when a JWKS URL is also configured", async () => {
    const { privateKey, publicKey } = await generateKeyPair("RS256");
    const verifier = await createTokenVerifier({
      jwtKey: await exportSPKI(publicKey),
      // Nothing listens here; touching it would fail the verification.
      jwksUrl: new URL("http://127.0.0.1:9/jwks.json"),
      issuer: undefined,
      authorizedParties: [],
    });
    const token = await new SignJWT({ sub: "user_pem" })
      .setProtectedHeader({ alg: "RS256", kid: "kid-pem" })
      .setExpirationTime("1m")
      .sign(privateKey);
    await expect(verifier.verify(token)).resolves.toEqual({ userId: "user_pem" });
  });

  it("refuses a config with neither key nor JWKS URL", async () => {
    const attempt = createTokenVerifier({
      jwtKey: undefined,
      jwksUrl: undefined,
      issuer: undefined,
      authorizedParties: [],
    });
    await expect(attempt).rejects.toThrow(/CLERK_JWKS_URL/);
  });
});
