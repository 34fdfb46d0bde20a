import { Unauthorized } from "../errors/app-errors.js";

// RFC 6750 token68 characters; anything else cannot be a JWT, so it is refused before jose sees it.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/** The token from an `Authorization: Bearer <token>` header; Unauthorized when absent or malformed. */
export function readBearerToken(authorizationHeader: string | undefined): string {
  if (authorizationHeader === undefined || authorizationHeader.trim() === "") {
    throw new Unauthorized("missing Authorization header: expected \"Bearer <token>\"");
  }
  const match = BEARER.exec(authorizationHeader);
  if (match?.[1] === undefined) {
    throw new Unauthorized("malformed Authorization header: expected \"Bearer <token>\"");
  }
  return match[1];
}
