// The ceiling of the HTTP benchmark: a bare Fastify answering one small JSON object, started
// exactly as our server is (plain node, no TypeScript loader), so that both pay the same runtime.
// Plain JavaScript on purpose: compiling it would add a loader to its cold start and not to ours.
import process from "node:process";
import Fastify from "fastify";

const app = Fastify({ logger: false });
app.get("/readyz", async () => ({ status: "ready" }));
app.get("/hello", async () => ({ hello: "world" }));
await app.listen({ port: Number(process.env.PORT), host: "127.0.0.1" });
