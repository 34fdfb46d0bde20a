import { createHmac } from "node:crypto";

/**
 * The version of every secret sealed before versions were derived from the key: the code
 * then sealed with one key only and always wrote 1. Which key that was is not recorded, so a
 * secret of this version is tried with every configured key (GCM's tag tells the right one).
 */
export const LEGACY_KEY_VERSION = 1;

/** PostgreSQL's `integer` holds up to 2^31 - 1; versions 0 and 1 are never derived. */
const DERIVED_VERSIONS = 2 ** 31 - 3;

/**
 * A key's version is a fingerprint of the key itself, so that every process that holds a key
 * agrees on its version without any setting, and a second key can never take the first one's
 * version by an operator's slip. It is 31 bits of an HMAC keyed with the key: it tells nothing
 * about a key of 256 random bits, and two keys share one with a chance of about 1 in 2 billion
 * (SecretCipher refuses that pair rather than guess).
 */
export function keyVersionOf(key: Buffer): number {
  const digest = createHmac("sha256", key).update("onboarding-service api key encryption version").digest();
  return 2 + (digest.readUInt32BE(0) % DERIVED_VERSIONS);
}
