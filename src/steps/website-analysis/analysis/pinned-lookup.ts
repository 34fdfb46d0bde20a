import type { LookupFunction } from "node:net";
import { answerLookup, type ResolvedAddress } from "../../../net/host-resolver.js";

/**
 * The addresses each host was vetted at, handed to the socket in place of a second DNS query.
 * Without it, a name could resolve to a public address for the check and to 127.0.0.1 for the
 * connection (DNS rebinding). A host that was never vetted gets no address at all.
 */
export class PinnedAddresses {
  readonly #byHost = new Map<string, readonly ResolvedAddress[]>();

  pin(host: string, addresses: readonly ResolvedAddress[]): void {
    this.#byHost.set(host.toLowerCase(), addresses);
  }

  /** For `net.connect`/`tls.connect`, which call it with `all: true` when racing address families. */
  readonly lookup: LookupFunction = (hostname: string, options, callback) => {
    const addresses = this.#byHost.get(hostname.toLowerCase());
    if (addresses === undefined) {
      callback(Object.assign(new Error(`host ${hostname} was not vetted for this fetch`), { code: "ENOTFOUND" }), "", 0);
      return;
    }
    answerLookup(hostname, addresses, options, callback);
  };
}
