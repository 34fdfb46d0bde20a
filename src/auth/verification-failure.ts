import { errors } from "jose";
import { Unauthorized } from "../errors/app-errors.js";
import { KeySourceUnavailable } from "./verification-key.js";

/**
 * Turns whatever jose (or the key source) threw into a 401 with a short reason. Reasons name the
 * failed check, never a claim value or the token, because the message reaches the client.
 */
export function unauthorizedFrom(error: unknown): Unauthorized {
  if (error instanceof Unauthorized) return error;
  const unauthorized = new Unauthorized(reasonFor(error) ?? "token could not be verified");
  // Outages and surprises still deny access; the cause lets the server log say why. Token
  // failures carry none, since jose attaches the claims to those.
  if (error instanceof KeySourceUnavailable || !(error instanceof errors.JOSEError)) unauthorized.cause = error;
  return unauthorized;
}

function reasonFor(error: unknown): string | undefined {
  if (error instanceof KeySourceUnavailable) return "token signing keys are unavailable";
  if (error instanceof errors.JWTExpired) return "token has expired";
  if (error instanceof errors.JWTClaimValidationFailed) return claimReason(error);
  if (error instanceof errors.JOSEAlgNotAllowed) return "token algorithm is not allowed (RS256 only)";
  if (error instanceof errors.JWSSignatureVerificationFailed) return "token signature is invalid";
  if (error instanceof errors.JWKSNoMatchingKey) return "token signing key is not recognised";
  if (error instanceof errors.JWKSMultipleMatchingKeys) return "token signing key is ambiguous";
  if (error instanceof errors.JOSEError) return "token is malformed";
  return undefined;
}

function claimReason(error: InstanceType<typeof errors.JWTClaimValidationFailed>): string {
  if (error.reason === "missing") return `token has no "${error.claim}" claim`;
  if (error.claim === "nbf") return "token is not yet valid";
  if (error.claim === "iss") return "token issuer is not accepted";
  return `token "${error.claim}" claim is invalid`;
}
