import type { RecordWithTtl } from "node:dns";
import { lookup as systemLookup, Resolver } from "node:dns/promises";
import type { LookupFunction } from "node:net";
import { isIP } from "node:net";
import { answerLookup, type ResolvedAddress } from "./host-resolver.js";

export interface OutboundResolverOptions {
  /** DNS servers (`ip`, `ip:port`, `[ipv6]:port`); empty means the system's (resolv.conf). */
  readonly servers: readonly string[];
  /** For one host name, both families and any fallback included. */
  readonly timeoutMs: number;
  /** How long an answer is reused at most, whatever its TTL. */
  readonly maxCacheMs?: number;
  readonly maxCachedHosts?: number;
}

export const DEFAULT_DNS_TIMEOUT_MS = 5_000;
const DEFAULT_MAX_CACHE_MS = 30_000;
const DEFAULT_MAX_CACHED_HOSTS = 512;
/** Once one family answered, how long the other may still take (RFC 8305's resolution delay). */
const SECOND_FAMILY_GRACE_MS = 50;
/** c-ares's answers that mean "the DNS knows no such name": only then may the system resolver try (hosts file, search domains). */
const NAME_NOT_FOUND = new Set(["ENOTFOUND", "ENODATA"]);

interface CachedAnswer {
  readonly addresses: readonly ResolvedAddress[];
  readonly expiresAt: number;
}

/**
 * DNS for the calls the service makes on users' behalf (model providers, websites to analyse),
 * kept off libuv's threadpool. `dns.lookup` (getaddrinfo) blocks one of its 4 threads per query,
 * and those threads also write progress files and verify tokens: a resolver that never answers
 * would stall every user. This one asks c-ares (sockets on the event loop, no thread), with a
 * deadline per host, a small TTL cache, and one query in flight per host however many calls wait
 * for it.
 *
 * Names the DNS does not know (NXDOMAIN, no records) fall back to the system resolver, for
 * `/etc/hosts` entries and short names under a search domain; that fallback runs one query at
 * a time, so it never holds more than one thread. IP literals and `localhost` need no DNS.
 */
export class OutboundResolver {
  readonly #resolver: Resolver;
  readonly #timeoutMs: number;
  readonly #maxCacheMs: number;
  readonly #maxCachedHosts: number;
  readonly #cache = new Map<string, CachedAnswer>();
  readonly #inFlight = new Map<string, Promise<readonly ResolvedAddress[]>>();
  #systemLookupQueue: Promise<unknown> = Promise.resolve();

  constructor(options: OutboundResolverOptions) {
    this.#timeoutMs = options.timeoutMs;
    this.#maxCacheMs = options.maxCacheMs ?? DEFAULT_MAX_CACHE_MS;
    this.#maxCachedHosts = options.maxCachedHosts ?? DEFAULT_MAX_CACHED_HOSTS;
    // c-ares retries on its own; two tries within the deadline, which bounds the whole anyway.
    this.#resolver = new Resolver({ timeout: Math.max(1, Math.ceil(options.timeoutMs / 2)), tries: 2 });
    if (options.servers.length > 0) this.#resolver.setServers([...options.servers]);
  }

  /** Every address of `hostname`, IPv4 first; rejects with a `code` (ENOTFOUND, ETIMEOUT, …). */
  readonly resolve = (hostname: string): Promise<readonly ResolvedAddress[]> => {
    const host = hostname.toLowerCase().replace(/^\[(.*)\]$/, "$1");
    const literal = withoutDns(host);
    if (literal !== undefined) return Promise.resolve(literal);
    const cached = this.#cache.get(host);
    if (cached !== undefined && cached.expiresAt > Date.now()) return Promise.resolve(cached.addresses);
    let pending = this.#inFlight.get(host);
    if (pending === undefined) {
      pending = withDeadline(this.#query(host), this.#timeoutMs, host).finally(() => this.#inFlight.delete(host));
      this.#inFlight.set(host, pending);
    }
    return pending;
  };

  /** For undici's `connect.lookup` (and `net.connect`): the same answers, in the callback form. */
  readonly lookup: LookupFunction = (hostname, options, callback) => {
    this.resolve(hostname).then(
      (addresses) => answerLookup(hostname, addresses, options, callback),
      (error: NodeJS.ErrnoException) => callback(error, "", 0),
    );
  };

  async #query(host: string): Promise<readonly ResolvedAddress[]> {
    const answers = await bothFamilies(host, this.#resolver);
    if (answers.addresses.length > 0) {
      this.#remember(host, answers.addresses, answers.ttlSeconds * 1000);
      return answers.addresses;
    }
    if (!answers.errors.every((error) => NAME_NOT_FOUND.has(String(error.code)))) throw answers.errors[0];
    const addresses = await this.#oneSystemLookupAtATime(host);
    this.#remember(host, addresses, this.#maxCacheMs);
    return addresses;
  }

  #oneSystemLookupAtATime(host: string): Promise<readonly ResolvedAddress[]> {
    const lookup = this.#systemLookupQueue.then(async () => {
      const found = await systemLookup(host, { all: true, verbatim: true });
      return found.map((entry): ResolvedAddress => ({ address: entry.address, family: entry.family === 6 ? 6 : 4 }));
    });
    this.#systemLookupQueue = lookup.catch(() => undefined);
    return lookup;
  }

  #remember(host: string, addresses: readonly ResolvedAddress[], ttlMs: number): void {
    const keepMs = Math.min(ttlMs, this.#maxCacheMs);
    if (keepMs <= 0 || addresses.length === 0) return;
    this.#cache.delete(host);
    this.#cache.set(host, { addresses, expiresAt: Date.now() + keepMs });
    // Oldest first: a Map keeps insertion order.
    for (const oldest of this.#cache.keys()) {
      if (this.#cache.size <= this.#maxCachedHosts) break;
      this.#cache.delete(oldest);
    }
  }
}

/** RFC 6761: `localhost` and names under it are loopback, asked of no server. */
function withoutDns(host: string): readonly ResolvedAddress[] | undefined {
  const family = isIP(host);
  if (family !== 0) return [{ address: host, family: family === 6 ? 6 : 4 }];
  if (host === "localhost" || host.endsWith(".localhost")) {
    return [
      { address: "127.0.0.1", family: 4 },
      { address: "::1", family: 6 },
    ];
  }
  return undefined;
}

interface FamilyAnswers {
  readonly addresses: readonly ResolvedAddress[];
  readonly ttlSeconds: number;
  readonly errors: readonly NodeJS.ErrnoException[];
}

/** A and AAAA at once; once either has addresses, the other gets a short grace, not the whole deadline. */
function bothFamilies(host: string, resolver: Resolver): Promise<FamilyAnswers> {
  const found: { v4: RecordWithTtl[]; v6: RecordWithTtl[] } = { v4: [], v6: [] };
  const errors: NodeJS.ErrnoException[] = [];
  return new Promise((resolve) => {
    let grace: NodeJS.Timeout | undefined;
    let waiting = 2;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(grace);
      const records = [...found.v4.map((r) => ({ r, family: 4 as const })), ...found.v6.map((r) => ({ r, family: 6 as const }))];
      resolve({
        addresses: records.map(({ r, family }) => ({ address: r.address, family })),
        ttlSeconds: Math.min(...records.map(({ r }) => r.ttl)),
        errors,
      });
    };
    const settle = (family: "v4" | "v6", query: Promise<RecordWithTtl[]>) =>
      query.then(
        (records) => {
          found[family] = records;
          if (records.length > 0) grace ??= setTimeout(finish, SECOND_FAMILY_GRACE_MS);
        },
        (error: NodeJS.ErrnoException) => void errors.push(error),
      ).finally(() => {
        if (--waiting === 0) finish();
      });
    void settle("v4", resolver.resolve4(host, { ttl: true }));
    void settle("v6", resolver.resolve6(host, { ttl: true }));
  });
}

function withDeadline<T>(work: Promise<T>, timeoutMs: number, host: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`DNS for ${host} did not answer within ${timeoutMs} ms`), { code: "ETIMEOUT" })), timeoutMs);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}
