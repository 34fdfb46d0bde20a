import { isIP } from "node:net";
import type { HostResolver, ResolvedAddress } from "../../../net/host-resolver.js";
import { DEFAULT_DNS_TIMEOUT_MS, OutboundResolver } from "../../../net/outbound-resolver.js";
import { blockedAddressReason } from "./blocked-address-reason.js";
import { WebsiteFetchFailed, WebsiteFetchRefused } from "./website-fetch-errors.js";

export interface VettedTarget {
  readonly url: URL;
  /** The host name as the socket layer sees it: IPv6 literals without brackets. */
  readonly host: string;
  readonly addresses: readonly ResolvedAddress[];
}

/** When the caller passes none (the app passes its configured one): the system's DNS servers, still off the threadpool. */
const defaultResolver: HostResolver = new OutboundResolver({ servers: [], timeoutMs: DEFAULT_DNS_TIMEOUT_MS }).resolve;

/** Parses a website URL, refusing what is never fetched whatever it resolves to. */
export function parseWebsiteUrl(raw: string, base?: URL): URL {
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    throw new WebsiteFetchRefused("it is not a valid web address");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new WebsiteFetchRefused(`only http and https addresses can be analysed, not ${url.protocol.replace(/:$/, "")}`);
  }
  // Credentials in the URL would be sent to the site and echoed in messages; no public page needs them.
  if (url.username !== "" || url.password !== "") {
    throw new WebsiteFetchRefused("the address must not hold a user name or password");
  }
  return url;
}

/**
 * Resolves the URL's host and refuses it when ANY of its addresses is loopback, private,
 * link-local, multicast or otherwise non-public: a name with one public and one private address
 * could otherwise be steered to the private one.
 */
export async function vetWebsiteUrl(url: URL, allowPrivate: boolean, resolve: HostResolver = defaultResolver): Promise<VettedTarget> {
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const addresses = await resolveHost(host, resolve);
  if (!allowPrivate) {
    for (const { address } of addresses) {
      const reason = blockedAddressReason(address);
      if (reason !== null) throw new WebsiteFetchRefused(`its name leads to a ${reason} network address, which is never fetched`);
    }
  }
  return { url, host, addresses };
}

async function resolveHost(host: string, resolve: HostResolver): Promise<readonly ResolvedAddress[]> {
  const family = isIP(host);
  if (family !== 0) return [{ address: host, family: family === 6 ? 6 : 4 }];
  let addresses: readonly ResolvedAddress[];
  try {
    addresses = await resolve(host);
  } catch {
    throw new WebsiteFetchFailed("dns", `host ${host} could not be resolved`);
  }
  if (addresses.length === 0) throw new WebsiteFetchFailed("dns", `host ${host} has no address`);
  return addresses;
}
