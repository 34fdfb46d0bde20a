import { Pool } from "undici";

/** One answer, or (status 0) the connection failure that stood in for it. */
export interface Answer {
  readonly status: number;
  readonly text: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** From sending to the last byte of the body. */
  readonly ms: number;
  /** Set when no answer came: ECONNRESET, EPIPE, UND_ERR_SOCKET, a timeout… */
  readonly failure?: string;
}

export interface Call {
  readonly method: string;
  readonly path: string;
  readonly token?: string;
  /** An object is sent as JSON; a string or bytes as they are. */
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
}

/** HTTP/1.1 with keep-alive to one server on 127.0.0.1; never throws for a failed exchange. */
export class HttpClient {
  readonly base: string;
  readonly #pool: Pool;

  constructor(base: string, connections = 32) {
    this.base = base;
    this.#pool = new Pool(base, { connections, pipelining: 1, keepAliveTimeout: 10_000 });
  }

  async send(call: Call): Promise<Answer> {
    const started = performance.now();
    const { body, contentType } = encode(call.body);
    const headers: Record<string, string> = { ...(contentType ? { "content-type": contentType } : {}), ...call.headers };
    if (call.token !== undefined) headers.authorization = `Bearer ${call.token}`;
    try {
      const response = await this.#pool.request({
        method: call.method as "GET",
        path: call.path,
        headers,
        ...(body === undefined ? {} : { body }),
        headersTimeout: call.timeoutMs ?? 30_000,
        bodyTimeout: call.timeoutMs ?? 30_000,
      });
      const text = await response.body.text();
      return { status: response.statusCode, text, headers: response.headers, ms: performance.now() - started };
    } catch (error) {
      const code = (error as { code?: string }).code ?? (error instanceof Error ? error.name : "error");
      return { status: 0, text: "", headers: {}, ms: performance.now() - started, failure: code };
    }
  }

  /** Ends every connection now (requests still on their way fail): a part's cleanup never waits for a server that is gone. */
  async close(): Promise<void> {
    await this.#pool.destroy();
  }
}

function encode(body: unknown): { body: string | Buffer | undefined; contentType: string | undefined } {
  if (body === undefined) return { body: undefined, contentType: undefined };
  if (typeof body === "string" || Buffer.isBuffer(body)) return { body, contentType: undefined };
  return { body: JSON.stringify(body), contentType: "application/json" };
}

/** The JSON of an answer, or undefined. */
export function jsonOf(answer: Answer): unknown {
  try {
    return answer.text === "" ? undefined : JSON.parse(answer.text);
  } catch {
    return undefined;
  }
}

/** A dev-mode token from `POST /api/dev/token`. */
export async function devToken(client: HttpClient, userId: string): Promise<string> {
  const answer = await client.send({ method: "POST", path: "/api/dev/token", body: { user_id: userId } });
  const token = (jsonOf(answer) as { token?: string } | undefined)?.token;
  if (answer.status !== 200 || token === undefined) throw new Error(`no dev token for ${userId}: ${answer.status} ${answer.failure ?? answer.text.slice(0, 200)}`);
  return token;
}

/** p-th percentile (0-100) of `values`, nearest rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
