import type { Dispatcher } from "undici";

/** An answer larger than this is not one JSON object of an analysis or a persona: stop reading rather than buffer it. */
export const MAX_MODEL_RESPONSE_BYTES = 4 * 1024 * 1024;

/** Thrown by the fetch when a provider's body passes the cap; the model client maps it to a bad answer. */
export class ResponseTooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`the provider answered with more than ${maxBytes} bytes`);
    this.name = "ResponseTooLarge";
  }
}

export interface CappedFetchOptions {
  /** Our DNS- and SSRF-aware connections (OutboundAgent): every provider call goes through it. */
  readonly dispatcher: () => Promise<Dispatcher>;
  readonly maxBytes?: number;
}

/** Statuses whose Response may not carry a body. */
const BODYLESS = new Set([101, 204, 205, 304]);

/**
 * The `fetch` given to the AI SDK's providers: undici's fetch on our dispatcher, reading at most
 * `maxBytes` of any body (answers and refusals alike) before the SDK parses it. The SDK never
 * sees a stream it could buffer without bound.
 */
export function cappedFetch(options: CappedFetchOptions): typeof globalThis.fetch {
  const maxBytes = options.maxBytes ?? MAX_MODEL_RESPONSE_BYTES;
  return async (input, init) => {
    // undici loads at the first model call, not at start (only the engines and the key check use it).
    const { fetch } = await import("undici");
    const dispatcher = await options.dispatcher();
    const response = await fetch(input as Parameters<typeof fetch>[0], { ...(init as Parameters<typeof fetch>[1]), dispatcher });
    const body = BODYLESS.has(response.status) ? null : await readCapped(response.body as ReadableStream<Uint8Array> | null, maxBytes);
    return new Response(body, { status: response.status, statusText: response.statusText, headers: new Headers([...response.headers]) });
  };
}

async function readCapped(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  if (body === null) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new ResponseTooLarge(maxBytes);
    }
    chunks.push(value);
  }
  const joined = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return joined;
}
