import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyPluginAsync, FastifyRequest } from "fastify";
import { readBearerToken } from "../auth/bearer-token.js";
import { Forbidden, Unauthorized } from "../errors/app-errors.js";
import type { AppMetrics } from "./app-metrics.js";

/**
 * GET /metrics for Prometheus. With METRICS_TOKEN set, only `Authorization: Bearer <token>`
 * reads it (from anywhere); without, only callers on this host (loopback). Behind a reverse proxy
 * on the same host every caller looks local: set METRICS_TOKEN there.
 */
export function metricsRoutes(metrics: AppMetrics, token: string | undefined): FastifyPluginAsync {
  const expected = token === undefined ? undefined : digest(token);
  return async (app) => {
    app.get("/metrics", { schema: { hide: true } }, async (request, reply) => {
      if (expected === undefined) refuseUnlessLoopback(request);
      else refuseUnlessToken(request, expected);
      return reply.type(metrics.contentType).send(await metrics.text());
    });
  };
}

function refuseUnlessToken(request: FastifyRequest, expected: Buffer): void {
  const given = digest(readBearerToken(request.headers.authorization));
  if (!timingSafeEqual(given, expected)) throw new Unauthorized("wrong metrics token: send Authorization: Bearer <METRICS_TOKEN>");
}

function refuseUnlessLoopback(request: FastifyRequest): void {
  if (!isLoopback(request.socket.remoteAddress)) {
    throw new Forbidden("/metrics answers only callers on this host unless METRICS_TOKEN is set");
  }
}

function isLoopback(address: string | undefined): boolean {
  return address !== undefined && (address === "::1" || /^(::ffff:)?127\./.test(address));
}

/** Compared as digests: equal lengths for timingSafeEqual, whatever the caller sends. */
function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}
