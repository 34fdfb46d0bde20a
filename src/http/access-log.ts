import type { FastifyInstance } from "fastify";

/**
 * One line per request once it is answered (Fastify's own two, "incoming" and "completed", are
 * off): method, path, status, time, and the user when the token named one. The request's id is
 * on it, as on every line of the request. Flat fields: no serializer runs for them.
 */
export function registerAccessLog(app: FastifyInstance): void {
  app.addHook("onResponse", (request, reply, done) => {
    request.log.info(
      {
        method: request.method,
        url: request.url,
        statusCode: reply.statusCode,
        responseTime: reply.elapsedTime,
        ...(request.auth === undefined ? {} : { user_id: request.auth.userId }),
      },
      "request completed",
    );
    done();
  });
}
