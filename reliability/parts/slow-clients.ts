import { connect, type Socket } from "node:net";
import { loadConfig } from "../../src/config/config.js";
import { atLeast, atMost, info, type Figure } from "../support/figures.js";
import { HttpClient, percentile, sleep } from "../support/http-client.js";
import type { Part, PartContext } from "../support/part.js";
import { sharedIdentity, startServer, tempDir } from "../support/servers.js";

const NAME = "slow clients";
const STALLED = 200;
const STALLED_IN_HEADERS = 20;
const SLOW_BODY_BYTES = 1024 * 1024;
const NORMAL_CLIENTS = 8;
const MEASURE_MS = 8_000;
/** Node checks the timeouts every second (src/app.ts): a stalled connection is closed at most this late. */
const CHECK_SLACK_MS = 2_500;

/**
 * 200 connections that send their headers and then nothing, 20 that stop halfway through their
 * headers, and one that sends 1 MiB at 1 KB/s, against a server with the default timeouts: other
 * clients keep their usual latency (measured just before, in the same run), and the server
 * closes every stalled connection by itself once REQUEST_TIMEOUT_MS or HEADERS_TIMEOUT_MS passes.
 */
export const slowClients: Part = {
  name: NAME,
  boundSeconds: 120,
  async run(context: PartContext): Promise<Figure[]> {
    const timeouts = loadConfig({}).http;
    const identity = await sharedIdentity();
    const dir = tempDir(context, "slow");
    const server = await startServer(context, { ...identity.env, DATABASE_URL: `sqlite:${dir}/app.db`, STORAGE_MODE: "database", DATA_DIR: dir });
    const port = Number(new URL(server.url).port);
    const client = new HttpClient(server.url, NORMAL_CLIENTS);
    context.defer(() => client.close());
    const tokens = await Promise.all(Array.from({ length: NORMAL_CLIENTS }, (_, i) => identity.token(`user_normal_${i}`)));

    await normalLoad(client, tokens, 2_000);
    const usual = await normalLoad(client, tokens, MEASURE_MS);
    context.log(`usual p99 ${usual.p99.toFixed(1)} ms over ${usual.count} requests`);

    const stalled = await Promise.all(Array.from({ length: STALLED }, async (_, i) => stallAfterHeaders(port, await identity.token(`user_stalled_${i}`))));
    const halfHeaders = Array.from({ length: STALLED_IN_HEADERS }, () => stallInHeaders(port));
    const slow = slowSender(port, await identity.token("user_slow_sender"));
    context.defer(() => [...stalled, ...halfHeaders, slow].forEach((s) => s.socket.destroy()));
    await sleep(500);
    const during = await normalLoad(client, tokens, MEASURE_MS);
    context.log(`p99 with ${STALLED} stalled connections and a slow sender: ${during.p99.toFixed(1)} ms over ${during.count} requests`);

    const deadline = performance.now() + timeouts.requestTimeoutMs + CHECK_SLACK_MS + 2_000;
    while (performance.now() < deadline && [...stalled, ...halfHeaders, slow].some((s) => s.closedAfterMs === undefined)) await sleep(250);
    const closedAfter = (list: readonly Stalled[]) => Math.max(...list.map((s) => s.closedAfterMs ?? Number.POSITIVE_INFINITY));
    const goal = 1.5 * usual.p99 + 5;
    return [
      info(NAME, "usual p99 (8 clients, before)", usual.p99, " ms"),
      atMost(NAME, "p99 while 221 connections stall (goal 1.5 × usual + 5 ms)", Math.round(during.p99 * 10) / 10, Math.round(goal * 10) / 10, " ms"),
      atMost(NAME, "requests of other clients failed", usual.failed + during.failed, 0),
      atLeast(NAME, `stalled-after-headers connections closed by the server`, stalled.filter((s) => s.closedAfterMs !== undefined).length, STALLED),
      atMost(NAME, `  last one closed after (REQUEST_TIMEOUT_MS ${timeouts.requestTimeoutMs / 1000} s)`, Math.round(closedAfter(stalled) / 100) / 10, (timeouts.requestTimeoutMs + CHECK_SLACK_MS) / 1000, " s"),
      atLeast(NAME, "of those answered 408 in the error shape", stalled.filter((s) => s.answeredTimeout).length, STALLED),
      atMost(NAME, `half-headers connections: last closed after (HEADERS_TIMEOUT_MS ${timeouts.headersTimeoutMs / 1000} s)`, Math.round(closedAfter(halfHeaders) / 100) / 10, (timeouts.headersTimeoutMs + CHECK_SLACK_MS) / 1000, " s"),
      atMost(NAME, "1 KB/s sender of 1 MiB: closed after", Math.round((slow.closedAfterMs ?? Number.POSITIVE_INFINITY) / 100) / 10, (timeouts.requestTimeoutMs + CHECK_SLACK_MS) / 1000, " s"),
      info(NAME, "  bytes it had sent by then", slow.sent()),
    ];
  },
};

interface LoadFigures {
  readonly p99: number;
  readonly count: number;
  readonly failed: number;
}

/** The clients' usual mix (a read and a save, in turn) for `ms`, as fast as answers come. */
async function normalLoad(client: HttpClient, tokens: readonly string[], ms: number): Promise<LoadFigures> {
  const latencies: number[] = [];
  let failed = 0;
  const until = performance.now() + ms;
  await Promise.all(
    tokens.map(async (token, i) => {
      for (let round = 0; performance.now() < until; round++) {
        const answer =
          round % 2 === 0
            ? await client.send({ method: "GET", path: "/api/onboarding/status", token })
            : await client.send({ method: "PUT", path: "/api/onboarding/step/1", token, body: { data: { api_keys: { openai: `sk-normal-${i}-${String(round).padStart(6, "0")}` } } } });
        latencies.push(answer.ms);
        if (answer.status !== 200) failed += 1;
      }
    }),
  );
  return { p99: percentile(latencies, 99), count: latencies.length, failed };
}

interface Stalled {
  readonly socket: Socket;
  /** Set when the server closed the connection: how long after it was opened. */
  closedAfterMs: number | undefined;
  answeredTimeout: boolean;
  sent(): number;
}

function watch(socket: Socket, sent: () => number = () => 0): Stalled {
  const openedAt = performance.now();
  const stalled: Stalled = { socket, closedAfterMs: undefined, answeredTimeout: false, sent };
  let received = "";
  socket.on("data", (chunk: Buffer) => {
    received += chunk.toString("latin1");
    if (/^HTTP\/1\.1 408 /.test(received) && received.includes('"code":"request_timeout"')) stalled.answeredTimeout = true;
  });
  socket.on("error", () => undefined);
  socket.on("close", () => (stalled.closedAfterMs ??= performance.now() - openedAt));
  return stalled;
}

function stallAfterHeaders(port: number, token: string): Stalled {
  const socket = connect(port, "127.0.0.1");
  socket.write(`PUT /api/onboarding/step/3 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n`);
  return watch(socket);
}

function stallInHeaders(port: number): Stalled {
  const socket = connect(port, "127.0.0.1");
  socket.write("GET /api/onboarding/status HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Half: ");
  return watch(socket);
}

function slowSender(port: number, token: string): Stalled {
  const socket = connect(port, "127.0.0.1");
  let sent = 0;
  socket.write(`PUT /api/onboarding/step/3 HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nContent-Length: ${SLOW_BODY_BYTES}\r\n\r\n`);
  const timer = setInterval(() => {
    if (socket.destroyed || sent >= SLOW_BODY_BYTES) return clearInterval(timer);
    socket.write(Buffer.alloc(100, 0x20));
    sent += 100;
  }, 100);
  socket.on("close", () => clearInterval(timer));
  return watch(socket, () => sent);
}
