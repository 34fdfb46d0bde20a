import type { FastifyInstance } from "fastify";

/**
 * Fastify's own JSON parser (prototype poisoning refused), except that an empty body is no
 * body: fetch wrappers send `content-type: application/json` on a bodiless POST (skip,
 * complete), and a user clicking "Skip" must not get "invalid JSON". Routes that need a body
 * still refuse its absence through their schema, naming `body`.
 */
export function registerJsonBodyParser(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    if (body === "") {
      done(null, undefined);
      return;
    }
    parseJson(request, body.toString(), done);
  });
}
