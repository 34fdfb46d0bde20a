import type { LookupAddress, LookupOptions } from "node:dns";
import type { LookupFunction } from "node:net";

export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

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
  readonly lookup: LookupFunction = (hostname: string, options: LookupOptions, callback) => {
    const addresses = this.#byHost.get(hostname.toLowerCase());
    const usable = addresses?.filter((entry) => !options.family || options.family === entry.family);
    const first = usable?.[0];
    if (usable === undefined || first === undefined) {
      const error = Object.assign(new Error(`host ${hostname} was not vetted for this fetch`), { code: "ENOTFOUND" });
      callback(error, "", 0);
      return;
    }
    if (options.all === true) {
      callback(null, usable.map((entry): LookupAddress => ({ address: entry.address, family: entry.family })));
      return;
    }
    callback(null, first.address, first.family);
  };
}
