import { decodeJwt, decodeProtectedHeader } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { Unauthorized, ValidationFailed } from "../errors/app-errors.js";
import { DEV_TOKEN_ISSUER, DevTokenIssuer } from "./dev-token-issuer.js";
import { JwtTokenVerifier } from "./token-verifier.js";

describe("DevTokenIssuer", () => {
  let issuer: DevTokenIssuer;

  beforeAll(async () => {
    issuer = await DevTokenIssuer.create();
  });

  it("issues a token its own verifier accepts for the same user", async () => {
    const token = await issuer.issue("user_dev_1");
    await expect(issuer.verifier.verify(token)).resolves.toEqual({ userId: "user_dev_1" });
  });

  it("verifies through the shared JwtTokenVerifier", () => {
    expect(issuer.verifier).toBeInstanceOf(JwtTokenVerifier);
  });

  it("shapes tokens like Clerk's: RS256 with a kid, sub, iss, iat, nbf and a one-hour exp", async () => {
    const token = await issuer.issue("42");
    const header = decodeProtectedHeader(token);
    const claims = decodeJwt(token);
    expect(header.alg).toBe("RS256");
    expect(header.kid).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(claims.sub).toBe("42");
    expect(claims.iss).toBe(DEV_TOKEN_ISSUER);
    expect(claims.nbf).toBe(claims.iat);
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(3600);
  });

  it("rejects tokens from another dev issuer (keys live only in memory)", async () => {
    const other = await DevTokenIssuer.create();
    const error = await issuer.verifier.verify(await other.issue("user_dev_1")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Unauthorized);
    expect((error as Unauthorized).message).toBe("token signature is invalid");
  });

  it("rejects a tampered dev token", async () => {
    const [header, , signature] = (await issuer.issue("user_a")).split(".");
    const payload = Buffer.from(JSON.stringify({ sub: "user_b", iss: DEV_TOKEN_ISSUER, exp: 9_999_999_999 }));
    const forged = `${header}.${payload.toString("base64url")}.${signature}`;
    await expect(issuer.verifier.verify(forged)).rejects.toThrow(Unauthorized);
  });

  it.each([
    ["empty", "", "user_id must not be empty"],
    ["too long", "x".repeat(256), "user_id is 256 characters long; at most 255 are allowed"],
    ["with a newline", "user\nx", "user_id contains the control character U+000A"],
    ["with a NUL", "user\u0000x", "user_id contains the control character U+0000"],
  ])("refuses a user id that is %s with ValidationFailed on user_id", async (_label, userId, message) => {
    const error = await issuer.issue(userId).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationFailed);
    expect((error as ValidationFailed).message).toBe(message);
    expect((error as ValidationFailed).errors).toEqual([{ path: "user_id", message }]);
  });

  it("accepts a 255-character id and odd but printable characters", async () => {
    for (const userId of ["a".repeat(255), "user@example.com", "ユーザー 1", "../../etc/passwd"]) {
      await expect(issuer.verifier.verify(await issuer.issue(userId))).resolves.toEqual({ userId });
    }
  });
});
