import { randomBytes } from "node:crypto";
import { exportSPKI, generateKeyPair, SignJWT } from "jose";

/**
 * Clerk-mode settings that several server processes can share (one signing key, one encryption
 * key), so that a user's token and sealed keys work on any of them, as behind a load balancer;
 * and the session tokens Clerk would issue for them.
 */
export interface ClerkIdentity {
  readonly env: { readonly AUTH_MODE: "clerk"; readonly CLERK_JWT_KEY: string; readonly ENCRYPTION_KEY: string };
  token(userId: string): Promise<string>;
}

export async function clerkIdentity(): Promise<ClerkIdentity> {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  return {
    env: { AUTH_MODE: "clerk", CLERK_JWT_KEY: await exportSPKI(publicKey), ENCRYPTION_KEY: randomBytes(32).toString("base64") },
    token: (userId) => {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ sub: userId, iat: now, nbf: now, exp: now + 3_600 }).setProtectedHeader({ alg: "RS256", typ: "JWT" }).sign(privateKey);
    },
  };
}
