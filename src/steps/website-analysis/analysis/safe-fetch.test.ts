import { gzipSync } from "node:zlib";
import { afterEach, describe, expect, it } from "vitest";
import { safeFetch, type SafeFetchOptions } from "./safe-fetch.js";
import { htmlPage, neverAnswer, redirectTo, resolverFor, startPageServer, type TestPageServer } from "../../../test-support/test-page-server.js";
import { WebsiteFetchFailed, type WebsiteFetchFailureKind } from "./website-fetch-errors.js";

const PAGE = "<!doctype html><html><head><title>Hello</title></head><body><p>Hi there.</p></body></html>";
const servers: TestPageServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function site(routes: Parameters<typeof startPageServer>[0]): Promise<TestPageServer> {
  const server = await startPageServer(routes);
  servers.push(server);
  return server;
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.unreachable("the fetch should have been stopped"),
    (error: unknown) => error,
  );
}

async function failure(url: string, kind: WebsiteFetchFailureKind, options: SafeFetchOptions): Promise<WebsiteFetchFailed> {
  const error = await caught(safeFetch(url, options));
  expect(error).toBeInstanceOf(WebsiteFetchFailed);
  expect((error as WebsiteFetchFailed).kind).toBe(kind);
  return error as WebsiteFetchFailed;
}

describe("safeFetch: reading pages", () => {
  it("reads an HTML page", async () => {
    const server = await site({ "/": htmlPage(PAGE) });

    const page = await safeFetch(`${server.origin}/`, { allowPrivate: true });

    expect(page).toEqual({ url: `${server.origin}/`, redirects: [], html: PAGE });
  });

  it("resolves every hop again and connects only to the address it vetted", async () => {
    const server = await site({
      "/start": (req, res) => redirectTo(`http://second.test:${req.socket.localPort}/page`)(req, res),
      "/page": htmlPage(PAGE),
    });
    const asked: string[] = [];
    const resolve = resolverFor({ "first.test": ["127.0.0.1"], "second.test": ["127.0.0.1"] }, asked);

    // Neither name exists in real DNS: the fetch only works if each socket uses the vetted address.
    const page = await safeFetch(`http://first.test:${server.port}/start`, { allowPrivate: true, resolve });

    expect(asked).toEqual(["first.test", "second.test"]);
    expect(page.url).toBe(`http://second.test:${server.port}/page`);
    expect(page.redirects).toEqual([`http://second.test:${server.port}/page`]);
    expect(page.html).toBe(PAGE);
  });

  it("follows three redirects", async () => {
    const server = await site({ "/1": redirectTo("/2"), "/2": redirectTo("/3", 301), "/3": redirectTo("/4", 307), "/4": htmlPage(PAGE) });

    const page = await safeFetch(`${server.origin}/1`, { allowPrivate: true });

    expect(page.html).toBe(PAGE);
    expect(page.redirects).toHaveLength(3);
  });

  it("fails on a fourth redirect without following it", async () => {
    const server = await site({ "/1": redirectTo("/2"), "/2": redirectTo("/3"), "/3": redirectTo("/4"), "/4": redirectTo("/5"), "/5": htmlPage(PAGE) });

    await failure(`${server.origin}/1`, "too_many_redirects", { allowPrivate: true });

    expect(server.hits).toEqual(["/1", "/2", "/3", "/4"]);
  });

  it("fails on a body over the cap, announced or not", async () => {
    const big = `<html><body>${"x".repeat(5000)}</body></html>`;
    const server = await site({
      "/announced": htmlPage(big),
      "/chunked": (_req, res) => {
        res.writeHead(200, { "content-type": "text/html" });
        res.write(big.slice(0, 2500));
        res.end(big.slice(2500));
      },
    });

    await failure(`${server.origin}/announced`, "too_large", { allowPrivate: true, maxBytes: 1024 });
    await failure(`${server.origin}/chunked`, "too_large", { allowPrivate: true, maxBytes: 1024 });
  });

  it("counts the cap after decompression, so a small compressed body cannot expand past it", async () => {
    const bomb = gzipSync(Buffer.alloc(200_000, " "));
    const server = await site({
      "/": (_req, res) => {
        res.writeHead(200, { "content-type": "text/html", "content-encoding": "gzip" }).end(bomb);
      },
    });
    expect(bomb.length).toBeLessThan(10_000);

    await failure(`${server.origin}/`, "too_large", { allowPrivate: true, maxBytes: 10_000 });
  });

  it("reads a gzip-compressed page", async () => {
    const server = await site({
      "/": (_req, res) => {
        res.writeHead(200, { "content-type": "text/html", "content-encoding": "gzip" }).end(gzipSync(PAGE));
      },
    });

    expect((await safeFetch(`${server.origin}/`, { allowPrivate: true })).html).toBe(PAGE);
  });

  it("decodes the charset the page declares", async () => {
    const server = await site({
      "/": (_req, res) => {
        res.writeHead(200, { "content-type": "text/html; charset=iso-8859-1" }).end(Buffer.from("<p>café</p>", "latin1"));
      },
    });

    expect((await safeFetch(`${server.origin}/`, { allowPrivate: true })).html).toBe("<p>café</p>");
  });

  it.each([
    ["application/json", "application/json"],
    ["image/png", "image/png"],
    ["", "missing or unreadable"],
  ])("fails on content type %j", async (contentType, shown) => {
    const server = await site({
      "/": (_req, res) => {
        res.writeHead(200, contentType === "" ? {} : { "content-type": contentType }).end("{}");
      },
    });

    const error = await failure(`${server.origin}/`, "not_html", { allowPrivate: true });

    expect(error.message).toContain(shown);
  });

  it("accepts XHTML", async () => {
    const server = await site({ "/": htmlPage(PAGE, "application/xhtml+xml") });

    expect((await safeFetch(`${server.origin}/`, { allowPrivate: true })).html).toBe(PAGE);
  });

  it("fails on an error status", async () => {
    const server = await site({});

    const error = await failure(`${server.origin}/missing`, "status", { allowPrivate: true });

    expect(error.message).toContain("HTTP 404");
  });

  it("fails with a timeout when the server never answers", async () => {
    const server = await site({ "/": neverAnswer });

    const error = await failure(`${server.origin}/`, "timeout", { allowPrivate: true, timeoutMs: 200 });

    expect(error.message).toContain(`127.0.0.1:${server.port}`);
  });

  it("fails on a host name that does not resolve", async () => {
    const resolve = resolverFor({}, []);

    await failure("http://nowhere.test/", "dns", { allowPrivate: false, resolve });
  });
});
