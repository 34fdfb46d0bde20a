import type { IncomingMessage } from "node:http";
import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ApiClient } from "../src/test-support/api-client.js";
import { openTestApp, type TestApp } from "../src/test-support/test-app.js";
import { TEST_DIALECTS } from "../src/test-support/test-database.js";
import { expectErrorShape, rowCount } from "./hardening-support.js";
import { listenOnFreePort } from "./raw-http.js";

const TWO_MIB = 2 * 1024 * 1024;

/**
 * Clients that break off or overdo an upload are the client's problem, told apart from ours: an
 * aborted upload is an info line, never a database failure at error level (any client could
 * write those at will), and a body over the limit gets its 413, not a connection reset.
 */
describe.each(TEST_DIALECTS)("uploads cut off or too large on %s", (dialect) => {
  let t: TestApp;
  afterEach(() => t.close());

  async function listening(): Promise<{ port: number; token: string }> {
    t = await openTestApp(dialect, { STORAGE_MODE: "dual" });
    const token = (await ApiClient.signIn(t.app, "user_uploads")).token;
    return { port: await listenOnFreePort(t.app), token };
  }

  it("logs an upload the client aborts mid-body at info, as an aborted request, never as a database failure", async () => {
    const { port, token } = await listening();
    const reading = new Promise<void>((resolve) => t.app.server.once("request", (request: IncomingMessage) => whenReading(request, resolve)));
    const socket = connect(port, "127.0.0.1");
    await new Promise((resolve) => socket.once("connect", resolve));
    socket.write(
      `PUT /api/onboarding/step/3 HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer ${token}\r\nX-Request-Id: aborted-upload\r\n` +
        `Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"data": {"research_depth": "Basic", `,
    );
    // Cut off mid-body: once the server, past authentication, reads the body.
    await reading;
    socket.destroy();
    // The error handler's line: the request ends there, since no answer can be sent.
    await waitFor(() => linesOf(t, "aborted-upload").some((line) => line.code !== undefined || line.level >= 40));

    const lines = linesOf(t, "aborted-upload");
    expect(lines.filter((line) => line.level >= 40)).toEqual([]);
    expect(lines.find((line) => line.code !== undefined)).toMatchObject({ level: 30, code: "request_aborted" });
    expect(JSON.stringify(lines)).not.toMatch(/database/i);
    expect(await rowCount(t, "onboarding_sessions")).toBe(0);
  });

  it("answers 413 to a 2 MiB body, sent at once or slowly, with or without its length, never with a reset", async () => {
    const { port, token } = await listening();
    const put = (body: Uint8Array | ReadableStream<Uint8Array>, headers: Record<string, string> = {}) =>
      fetch(`http://127.0.0.1:${port}/api/onboarding/step/3`, {
        method: "PUT",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...headers },
        body,
        duplex: "half",
      } as RequestInit).then(async (response) => ({ status: response.status, text: await response.text() }));
    const whole = new TextEncoder().encode(JSON.stringify({ data: { content_types: ["x".repeat(TWO_MIB)] } }));
    const answers = await Promise.all([
      ...Array.from({ length: 4 }, () => put(whole)),
      ...Array.from({ length: 4 }, () => put(slowly(TWO_MIB), { "content-length": String(TWO_MIB) })),
      ...Array.from({ length: 4 }, () => put(slowly(TWO_MIB))),
    ]);
    for (const answer of answers) expectErrorShape({ ...answer, body: JSON.parse(answer.text) }, 413, "payload_too_large");
    expect(await rowCount(t, "onboarding_sessions")).toBe(0);
    expect((await put(new TextEncoder().encode("{}"))).status).toBe(400);
  });
});

interface LogLine {
  readonly level: number;
  readonly msg: string;
  readonly code?: string;
}

function linesOf(t: TestApp, requestId: string): LogLine[] {
  return t.logs.map((text) => JSON.parse(text) as LogLine & { reqId?: string }).filter((line) => line.reqId === requestId);
}

function whenReading(request: IncomingMessage, then: () => void): void {
  if (request.readableFlowing === true) then();
  else setTimeout(() => whenReading(request, then), 5);
}

/** A body that arrives in 64 KiB pieces 5 ms apart, as from a slow uplink: still sending when the answer comes. */
function slowly(bytes: number): ReadableStream<Uint8Array> {
  const piece = new Uint8Array(64 * 1024).fill(0x20);
  return new ReadableStream({
    async start(controller) {
      for (let sent = 0; sent < bytes; sent += piece.length) {
        controller.enqueue(piece);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      controller.close();
    },
  });
}

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
