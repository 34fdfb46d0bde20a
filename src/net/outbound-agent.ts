import type { LookupFunction } from "node:net";
import type { Dispatcher } from "undici";

/**
 * The connections of the calls made on users' behalf to model providers, with DNS off the
 * threadpool (`lookup`). undici is loaded and the agent made at the first call: start-up pays
 * for neither, and a server that never calls a model never loads them.
 */
export class OutboundAgent {
  readonly #lookup: LookupFunction;
  #agent: Promise<Dispatcher> | undefined;

  constructor(lookup: LookupFunction) {
    this.#lookup = lookup;
  }

  dispatcher(): Promise<Dispatcher> {
    this.#agent ??= import("undici").then(({ Agent }) => new Agent({ connect: { lookup: this.#lookup } }));
    return this.#agent;
  }

  async close(): Promise<void> {
    if (this.#agent !== undefined) await (await this.#agent).destroy();
  }
}
