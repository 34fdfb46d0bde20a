import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { afterEach, describe, expect, it } from "vitest";
import { startDnsServer, type TestDnsServer, type TestDnsZone } from "../test-support/test-dns-server.js";
import { OutboundResolver } from "./outbound-resolver.js";

const servers: TestDnsServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function resolverWith(zone: TestDnsZone, options: { timeoutMs?: number; maxCacheMs?: number } = {}) {
  const dns = await startDnsServer(zone);
  servers.push(dns);
  const resolver = new OutboundResolver({ servers: [dns.address], timeoutMs: options.timeoutMs ?? 2_000, ...(options.maxCacheMs ? { maxCacheMs: options.maxCacheMs } : {}) });
  return { dns, resolver, aQueries: () => dns.queries.filter((q) => q.type === 1).map((q) => q.name) };
}

function errorOf(promise: Promise<unknown>): Promise<NodeJS.ErrnoException> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: NodeJS.ErrnoException) => error,
  );
}

/** A name the hosts file gives an address and no DNS server knows (this machine's own name, where it is listed). */
const HOSTS_FILE_NAME = hostname();
const hostsFileHasIt = readFileSync("/etc/hosts", "utf8")
  .split("\n")
  .some((line) => line.replace(/#.*/, "").trim().split(/\s+/).slice(1).includes(HOSTS_FILE_NAME));

describe("OutboundResolver", () => {
  it("asks its configured server for both families and answers the addresses it has", async () => {
    const { resolver, dns } = await resolverWith({ records: { "llm.provider.test": ["203.0.113.7", "203.0.113.8"] } });
    expect(await resolver.resolve("LLM.provider.test")).toEqual([
      { address: "203.0.113.7", family: 4 },
      { address: "203.0.113.8", family: 4 },
    ]);
    expect(dns.queries.map((q) => [q.name, q.type]).sort()).toEqual([
      ["llm.provider.test", 1],
      ["llm.provider.test", 28],
    ]);
  });

  it("asks once for many calls at the same time, reuses the answer, and asks again once it expired", async () => {
    const { resolver, aQueries } = await resolverWith({ records: { "llm.provider.test": ["203.0.113.7"] } }, { maxCacheMs: 200 });
    const answers = await Promise.all(Array.from({ length: 8 }, () => resolver.resolve("llm.provider.test")));
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    await resolver.resolve("llm.provider.test");
    expect(aQueries()).toEqual(["llm.provider.test"]);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await resolver.resolve("llm.provider.test");
    expect(aQueries()).toEqual(["llm.provider.test", "llm.provider.test"]);
  });

  it("asks no server for IP literals and localhost", async () => {
    const { resolver, dns } = await resolverWith({ swallow: true });
    expect(await resolver.resolve("127.0.0.1")).toEqual([{ address: "127.0.0.1", family: 4 }]);
    expect(await resolver.resolve("[::1]")).toEqual([{ address: "::1", family: 6 }]);
    expect(await resolver.resolve("localhost")).toEqual([
      { address: "127.0.0.1", family: 4 },
      { address: "::1", family: 6 },
    ]);
    expect(dns.queries).toEqual([]);
  });

  it("gives up on a server that never answers after its deadline, with ETIMEOUT", async () => {
    const { resolver, dns } = await resolverWith({ swallow: true }, { timeoutMs: 300 });
    const error = await errorOf(resolver.resolve("hangs.provider.test"));
    expect(error.code).toBe("ETIMEOUT");
    expect(error.message).toContain("hangs.provider.test did not answer within 300 ms");
    expect(dns.queries.length).toBeGreaterThanOrEqual(2);
  });

  it.skipIf(!hostsFileHasIt)("falls back to the system resolver (the hosts file) for a name the DNS does not know", async () => {
    const { resolver, aQueries } = await resolverWith({ records: {} });
    const addresses = await resolver.resolve(HOSTS_FILE_NAME);
    expect(addresses.length).toBeGreaterThan(0);
    expect(aQueries()).toEqual([HOSTS_FILE_NAME.toLowerCase()]);
  });

  it("answers a socket's lookup in both of its forms", async () => {
    const { resolver } = await resolverWith({ records: { "llm.provider.test": ["203.0.113.7"] } });
    const lookup = (options: { all?: boolean; family?: number }) =>
      new Promise<unknown[]>((resolve) => resolver.lookup("llm.provider.test", options, (error, address, family) => resolve([error?.code ?? null, address, family])));
    expect(await lookup({ all: true })).toEqual([null, [{ address: "203.0.113.7", family: 4 }], undefined]);
    expect(await lookup({})).toEqual([null, "203.0.113.7", 4]);
    expect((await lookup({ family: 6 }))[0]).toBe("ENOTFOUND");
  });
});
