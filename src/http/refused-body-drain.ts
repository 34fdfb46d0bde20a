import type { FastifyInstance } from "fastify";

/** How long the rest of a refused body may keep arriving after the answer before the connection is closed anyway. */
const DRAIN_MS = 10_000;
/** A client that announces more than this many body limits is not waited for: its connection closes after the answer, as Fastify would. */
const DRAINED_BODY_LIMITS = 16;

/**
 * Fastify answers a body it refuses before reading it to the end (over the limit, cut short)
 * with `Connection: close`, and Node closes the socket right after the answer. A client still
 * sending (a slow uplink, a 2 MiB body) then writes into a closed socket and the kernel resets
 * the connection: the client sees EPIPE or ECONNRESET instead of its 413. Here the connection
 * stays open and Node reads the rest of the body and drops it, for at most DRAIN_MS.
 */
export function drainRefusedBodies(app: FastifyInstance): void {
  const drainLimitBytes = DRAINED_BODY_LIMITS * app.initialConfig.bodyLimit!;
  app.addHook("onSend", async (request, reply) => {
    const raw = request.raw;
    if (raw.complete || raw.destroyed || reply.getHeader("connection") !== "close") return;
    if (Number(request.headers["content-length"]) > drainLimitBytes) return;
    reply.removeHeader("connection");
    // Destroying the unfinished request closes its socket (and works on an injected request too).
    const timer = setTimeout(() => {
      if (!raw.complete) raw.destroy();
    }, DRAIN_MS).unref();
    raw.once("end", () => clearTimeout(timer));
    raw.once("close", () => clearTimeout(timer));
  });
}
