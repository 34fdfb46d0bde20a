import { afterEach, describe, expect, it } from "vitest";
import { safeFetch, type SafeFetchOptions } from "./safe-fetch.js";
import { htmlPage, redirectTo, resolverFor, startPageServer, type TestPageServer } from "../../../test-support/test-page-server.js";
import { vetWebsiteUrl } from "./vet-website-url.js";
import { WebsiteFetchRefused } from "./website-fetch-errors.js";

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

async function refusal(url: string, options: SafeFetchOptions = { allowPrivate: false }): Promise<WebsiteFetchRefused> {
  const error = await safeFetch(url, options).then(
    () => expect.unreachable("the fetch should have been refused"),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(WebsiteFetchRefused);
  return error as WebsiteFetchRefused;
}

describe("safeFetch: what it refuses", () => {
  it("refuses a loopback server when private addresses are not allowed, without contacting it", async () => {
    const server = await site({ "/": htmlPage(PAGE) });

    const error = await refusal(`${server.origin}/`);

    expect(error.message).toContain("loopback");
    expect(error.errors).toEqual([{ path: "website", message: error.message }]);
    expect(server.hits).toEqual([]);
  });

  it.each([
    ["http://localhost:9/", "loopback"],
    ["http://10.1.2.3/", "private"],
    ["http://169.254.169.254/latest/meta-data/", "link-local"],
    ["http://[::1]:9/", "loopback"],
    ["http://[::ffff:127.0.0.1]/", "loopback"],
    ["http://0x7f.1/", "loopback"],
    ["http://0.0.0.0/", "unspecified"],
  ])("refuses %s (%s)", async (url, reason) => {
    const error = await refusal(url);

    expect(error.message).toContain(reason);
  });

  it("refuses a host when any one of its addresses is private, and does not say which", async () => {
    const resolve = resolverFor({ "mixed.test": ["93.184.216.34", "10.9.8.7"] }, []);

    const error = await refusal("http://mixed.test/", { allowPrivate: false, resolve });

    // A sentence for the person: neither the address nor the host name it resolved.
    expect(error.message).toBe("This website cannot be analysed: its name leads to a private network address, which is never fetched");
  });

  it.each([
    ["ftp://example.com/", "only http and https"],
    ["file:///etc/passwd", "only http and https"],
    ["https://user:secret@example.com/", "must not hold a user name or password"],
    ["not a url", "not a valid web address"],
  ])("refuses %s", async (url, reason) => {
    const error = await refusal(url, { allowPrivate: true });

    expect(error.message).toContain(reason);
    expect(error.message).not.toContain("secret");
  });

  it("re-checks a redirect: an allowed page that redirects to a file: URL is refused", async () => {
    const server = await site({ "/": redirectTo("file:///etc/passwd") });

    const error = await refusal(`${server.origin}/`, { allowPrivate: true });

    expect(error.message).toContain("only http and https");
    expect(server.hits).toEqual(["/"]);
  });
});

describe("vetWebsiteUrl, which every hop passes through", () => {
  const resolve = resolverFor({ "inside.test": ["10.0.0.5"], "outside.test": ["93.184.216.34", "2606:4700:4700::1111"] });

  it("refuses a redirect target whose name resolves inside", async () => {
    await expect(vetWebsiteUrl(new URL("http://inside.test/next"), false, resolve)).rejects.toBeInstanceOf(WebsiteFetchRefused);
  });

  it("returns every public address of a name, which the socket is then pinned to", async () => {
    const target = await vetWebsiteUrl(new URL("https://outside.test/"), false, resolve);

    expect(target.host).toBe("outside.test");
    expect(target.addresses.map((entry) => entry.address)).toEqual(["93.184.216.34", "2606:4700:4700::1111"]);
  });
});
