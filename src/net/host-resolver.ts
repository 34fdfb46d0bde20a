import type { LookupAddress, LookupOptions } from "node:dns";

export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Resolves a host name to every address it has; tests pass their own to name hosts of theirs. */
export type HostResolver = (hostname: string) => Promise<readonly ResolvedAddress[]>;

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * Answers `net.connect`/`tls.connect`'s lookup from addresses already known: all of them when
 * asked (`all: true`, when racing address families), else the first of the wanted family.
 */
export function answerLookup(hostname: string, addresses: readonly ResolvedAddress[], options: LookupOptions, callback: LookupCallback): void {
  const usable = addresses.filter((entry) => !options.family || options.family === entry.family);
  const first = usable[0];
  if (first === undefined) {
    callback(Object.assign(new Error(`host ${hostname} has no usable address`), { code: "ENOTFOUND" }), "", 0);
    return;
  }
  if (options.all === true) {
    callback(null, usable.map((entry): LookupAddress => ({ address: entry.address, family: entry.family })));
    return;
  }
  callback(null, first.address, first.family);
}
