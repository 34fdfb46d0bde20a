import { connect, type AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";

/** HTTP/1.1 over a bare socket, for requests no HTTP client would send (malformed on purpose, cut off mid-body). */

export interface RawAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** Listens on a free port of 127.0.0.1 and returns it. */
export async function listenOnFreePort(app: FastifyInstance): Promise<number> {
  await app.listen({ port: 0, host: "127.0.0.1" });
  return (app.server.address() as AddressInfo).port;
}

/** Sends `request` as it is and reads one answer: up to its Content-Length, or until the server closes. */
export function sendRaw(port: number, request: string | Buffer, timeoutMs = 5_000): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    let received = Buffer.alloc(0);
    const timer = setTimeout(() => fail(new Error(`no complete answer in ${timeoutMs} ms: ${received.toString("latin1").slice(0, 300)}`)), timeoutMs);
    const fail = (error: Error) => {
      clearTimeout(timer);
      socket.destroy();
      reject(error);
    };
    const finishIfComplete = (closed: boolean) => {
      const answer = parseAnswer(received, closed);
      if (answer === undefined) return;
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    socket.on("connect", () => socket.write(request));
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      finishIfComplete(false);
    });
    socket.on("end", () => {
      finishIfComplete(true);
      fail(new Error(`the server closed the connection mid-answer: ${received.toString("latin1").slice(0, 300)}`));
    });
    socket.on("error", fail);
  });
}

function parseAnswer(received: Buffer, closed: boolean): RawAnswer | undefined {
  const headEnd = received.indexOf("\r\n\r\n");
  if (headEnd < 0) return undefined;
  const [statusLine = "", ...headerLines] = received.subarray(0, headEnd).toString("latin1").split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = received.subarray(headEnd + 4);
  const length = headers["content-length"] === undefined ? undefined : Number(headers["content-length"]);
  if (length === undefined ? !closed : body.length < length) return undefined;
  return { status: Number(statusLine.split(" ")[1]), headers, body: body.subarray(0, length).toString("utf8") };
}
