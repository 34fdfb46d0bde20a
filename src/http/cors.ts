import fastifyCors from "@fastify/cors";
import type { FastifyInstance } from "fastify";

/** How long a browser may reuse a preflight's answer (seconds): one preflight per route per 10 minutes. */
const PREFLIGHT_MAX_AGE_S = 600;

/**
 * CORS for the page on a host of its own (SPEC §10, CORS_ORIGINS). An allowed origin gets its
 * headers on every answer, errors included (they are set in onRequest, before any route or error
 * handler), so the page can read a 400's field errors or a 401. Any other origin, and a request
 * without one, gets no CORS header at all: its preflight falls through to the usual 404.
 * Bearer tokens, no cookies: credentials stay off.
 */
export async function registerCors(app: FastifyInstance, origins: readonly string[]): Promise<void> {
  if (origins.length === 0) return;
  const allowed = new Set(origins);
  await app.register(fastifyCors, {
    origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin) ? origin : false),
    methods: ["GET", "HEAD", "POST", "PUT", "DELETE"],
    allowedHeaders: ["Authorization", "Content-Type"],
    exposedHeaders: ["X-Request-Id", "Retry-After"],
    maxAge: PREFLIGHT_MAX_AGE_S,
    // Not strict: an OPTIONS without Access-Control-Request-Method from an allowed origin is answered
    // like a preflight instead of with the plugin's own plain-text 400 (our error body is JSON).
    strictPreflight: false,
  });
}
