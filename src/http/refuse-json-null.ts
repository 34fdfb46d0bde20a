import type { FastifyRequest } from "fastify";
import { ValidationFailed } from "../errors/app-errors.js";

/**
 * preValidation hook of routes whose body is optional. Fastify validates an absent body as
 * `null`, so their schemas must accept null; before validation, though, an absent body is still
 * `undefined`, and only a body of JSON `null` is `null` — a malformed body, refused here.
 */
export async function refuseJsonNull(request: FastifyRequest): Promise<void> {
  if (request.body !== null) return;
  throw new ValidationFailed("The body must be a JSON object or absent, not null", [{ path: "body", message: "must be an object, not null" }]);
}
