import { existsSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { answerNoRoute } from "./error-handler.js";

/** Where `npm run build` puts the page (web/ built by Vite): dist/web, seen from src/http and dist/http alike. */
export const BUILT_WEB_ROOT = fileURLToPath(new URL("../../dist/web/", import.meta.url));

/** The server's own paths: never the page, whatever the client accepts, so their 404s stay JSON error bodies. */
const SERVER_PATH = /^\/(?:api|docs|openapi\.json|healthz|health|readyz)(?:[/?]|$)/;

/** Vite names every file under assets/ after a hash of its content: a changed file is a new URL. */
const HASHED_ASSETS = "assets";
const IMMUTABLE = "public, max-age=31536000, immutable";
/** index.html and the unhashed files: the browser asks again each time (a 304 when unchanged). */
const REVALIDATE = "no-cache";

/**
 * Serves the built page at `/` and answers a browser's visit to any of the page's own routes
 * (`/step/3` on reload) with index.html; every other unknown path keeps the JSON 404. Sets the
 * root not-found handler, so it is registered once, after every route.
 */
export async function registerWebPage(app: FastifyInstance, root: string): Promise<void> {
  if (!existsSync(join(root, "index.html"))) {
    app.log.warn(`the web page is not built (no ${join(root, "index.html")}): run \`npm run build\`; / answers 404 until then`);
    app.setNotFoundHandler(answerNoRoute);
    return;
  }
  await app.register(fastifyStatic, {
    root,
    // One route per built file instead of a catch-all: unknown paths, /api's included, reach the
    // not-found handlers, and the authenticated scope's runs its auth hook first as before.
    wildcard: false,
    // Ours, per file, below (send's own would be "public, max-age=0" for all).
    cacheControl: false,
    // The build writes .br and .gz beside each file: sent as the browser accepts, never compressed per request.
    preCompressed: true,
    setHeaders: (reply, path) => {
      reply.header("cache-control", relative(root, path).startsWith(HASHED_ASSETS + sep) ? IMMUTABLE : REVALIDATE);
      reply.header("x-content-type-options", "nosniff");
      // The page handles API keys: it is never framed by another site.
      reply.header("content-security-policy", "frame-ancestors 'none'");
    },
  });
  app.setNotFoundHandler((request, reply) => (wantsPage(request) ? sendPage(reply) : answerNoRoute(request, reply)));
}

/** A browser navigating to one of the page's routes: the page's router takes it from there. */
function wantsPage(request: FastifyRequest): boolean {
  const accepts = request.headers.accept ?? "";
  return (request.method === "GET" || request.method === "HEAD") && accepts.includes("text/html") && !SERVER_PATH.test(request.url);
}

function sendPage(reply: FastifyReply): FastifyReply {
  return reply.sendFile("index.html");
}
