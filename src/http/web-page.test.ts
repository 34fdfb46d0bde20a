import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliCompressSync, brotliDecompressSync } from "node:zlib";
import Fastify from "fastify";
import { serializerCompiler, validatorCompiler } from "fastify-type-provider-zod";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { webConfigRoutes } from "./routes/web-config-routes.js";
import { openTestApp, type TestApp } from "../test-support/test-app.js";

const PAGE = "<!doctype html><html lang=en><title>Onboarding</title><div id=root></div>";
const HTML = { accept: "text/html,application/xhtml+xml,*/*;q=0.8" };

describe("the web page", () => {
  let root: string;
  let t: TestApp;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "web-root-"));
    mkdirSync(join(root, "assets"));
    writeFileSync(join(root, "index.html"), PAGE);
    writeFileSync(join(root, "assets", "index-Cx1b2c3d.js"), "console.log(1)");
    writeFileSync(join(root, "assets", "index-Cx1b2c3d.js.br"), brotliCompressSync("console.log(1)"));
    writeFileSync(join(root, "favicon.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>");
  });
  afterEach(async () => {
    await t.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("is served at / and revalidated on every visit, while hashed assets are cached for good", async () => {
    t = await openTestApp("sqlite", {}, { webRoot: root });
    const page = await t.app.inject({ method: "GET", url: "/", headers: HTML });
    expect(page.statusCode).toBe(200);
    expect(page.headers["content-type"]).toMatch(/^text\/html/);
    expect(page.body).toBe(PAGE);
    expect(page.headers["cache-control"]).toBe("no-cache");
    expect(page.headers["content-security-policy"]).toBe("frame-ancestors 'none'");
    const asset = await t.app.inject({ method: "GET", url: "/assets/index-Cx1b2c3d.js" });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect((await t.app.inject({ method: "GET", url: "/favicon.svg" })).headers["cache-control"]).toBe("no-cache");
  });

  it("sends the build's brotli file to a browser that accepts it, the plain file to one that does not", async () => {
    t = await openTestApp("sqlite", {}, { webRoot: root });
    const compressed = await t.app.inject({ method: "GET", url: "/assets/index-Cx1b2c3d.js", headers: { "accept-encoding": "gzip, br" } });
    expect(compressed.headers["content-encoding"]).toBe("br");
    expect(compressed.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(brotliDecompressSync(compressed.rawPayload).toString()).toBe("console.log(1)");
    const plain = await t.app.inject({ method: "GET", url: "/assets/index-Cx1b2c3d.js", headers: { "accept-encoding": "identity" } });
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.body).toBe("console.log(1)");
  });

  it("answers a browser's visit to one of the page's routes with the page, so a reload keeps the step", async () => {
    t = await openTestApp("sqlite", {}, { webRoot: root });
    for (const url of ["/step/3", "/sign-in", "/complete?from=mail"]) {
      const reply = await t.app.inject({ method: "GET", url, headers: HTML });
      expect(reply.statusCode, url).toBe(200);
      expect(reply.body).toBe(PAGE);
      expect(reply.headers["cache-control"]).toBe("no-cache");
    }
  });

  it("leaves the server's own paths as they were: JSON 404s, the auth hook first, docs and health", async () => {
    t = await openTestApp("sqlite", {}, { webRoot: root });
    const apiMiss = await t.app.inject({ method: "GET", url: "/api/nope", headers: HTML });
    expect(apiMiss.statusCode).toBe(404);
    expect(apiMiss.json()).toEqual({ detail: "There is nothing at this address", code: "not_found", errors: [] });
    const anonymous = await t.app.inject({ method: "GET", url: "/api/onboarding/nope", headers: HTML });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toMatchObject({ code: "unauthorized" });
    const notHtml = await t.app.inject({ method: "GET", url: "/nope", headers: { accept: "application/json" } });
    expect(notHtml.statusCode).toBe(404);
    expect(notHtml.json()).toMatchObject({ code: "not_found" });
    expect((await t.app.inject({ method: "POST", url: "/step/3", headers: HTML })).statusCode).toBe(404);
    expect((await t.app.inject({ method: "GET", url: "/healthz", headers: HTML })).json()).toEqual({ status: "ok" });
    expect((await t.app.inject({ method: "GET", url: "/openapi.json", headers: HTML })).json()).toMatchObject({ openapi: "3.0.3" });
    const docs = await t.app.inject({ method: "GET", url: "/docs/", headers: HTML });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain("swagger");
  });

  it("tells the page how to sign in: dev mode, no Clerk key", async () => {
    t = await openTestApp("sqlite", {}, { webRoot: root });
    const reply = await t.app.inject({ method: "GET", url: "/api/web-config" });
    expect(reply.statusCode).toBe(200);
    expect(reply.json()).toEqual({ auth_mode: "dev", clerk_publishable_key: null });
  });

  it("without a built page, / is a JSON 404 and the log says how to build it", async () => {
    t = await openTestApp("sqlite", {}, { webRoot: join(root, "missing") });
    const reply = await t.app.inject({ method: "GET", url: "/", headers: HTML });
    expect(reply.statusCode).toBe(404);
    expect(reply.json()).toMatchObject({ code: "not_found" });
    expect(t.logs.join("")).toContain("npm run build");
  });
});

describe("GET /api/web-config in clerk mode", () => {
  it("hands the page the publishable key, and null when none is configured", async () => {
    const key = `pk_test_${Buffer.from("clerk.example.com$").toString("base64")}`;
    for (const [publishableKey, expected] of [[key, key], [undefined, null]] as const) {
      const app = Fastify();
      app.setValidatorCompiler(validatorCompiler);
      app.setSerializerCompiler(serializerCompiler);
      await app.register(webConfigRoutes({ authMode: "clerk", clerk: { publishableKey, jwtKey: undefined, jwksUrl: undefined, issuer: undefined, authorizedParties: [] } }));
      const reply = await app.inject({ method: "GET", url: "/api/web-config" });
      expect(reply.json()).toEqual({ auth_mode: "clerk", clerk_publishable_key: expected });
      await app.close();
    }
  });
});
