import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiClient } from "../src/test-support/api-client.js";
import { openTestApp, type TestApp } from "../src/test-support/test-app.js";
import { TEST_DIALECTS } from "../src/test-support/test-database.js";
import { expectErrorShape, rowCount } from "./hardening-support.js";
import { listenOnFreePort, sendRaw } from "./raw-http.js";

interface Kind {
  readonly kind: string;
  /** The request as sent on the wire; `TOKEN` stands for a valid bearer token. */
  readonly request: string;
  readonly status: number;
  readonly code: string;
}

const TWO_MIB = 2 * 1024 * 1024;
const authorised = (requestLine: string, headers = "", body = "") =>
  `${requestLine}\r\nHost: localhost\r\nAuthorization: Bearer TOKEN\r\n${headers}${body === "" ? "" : `Content-Length: ${Buffer.byteLength(body)}\r\n`}\r\n${body}`;

/**
 * Every kind of error an HTTP client can provoke, down to the protocol, and the SPEC §4 answer
 * each gets: the one body `{detail, code, errors}` with a status and a code of its own. Sent
 * over a bare socket, since most of them are requests no HTTP client would send.
 */
const KINDS: readonly Kind[] = [
  { kind: "unknown route", request: "GET /nowhere HTTP/1.1\r\nHost: localhost\r\n\r\n", status: 404, code: "not_found" },
  { kind: "no token", request: "GET /api/onboarding/status HTTP/1.1\r\nHost: localhost\r\n\r\n", status: 401, code: "unauthorized" },
  { kind: "bad percent-encoding in the path", request: authorised("GET /api/onboarding/step/%zz HTTP/1.1"), status: 400, code: "invalid_url" },
  { kind: "a 5,000-digit step number", request: authorised(`GET /api/onboarding/step/${"9".repeat(5_000)} HTTP/1.1`), status: 414, code: "uri_too_long" },
  { kind: "a step number that is not one", request: authorised("GET /api/onboarding/step/0x1 HTTP/1.1"), status: 400, code: "validation_failed" },
  {
    kind: "body over 1 MiB",
    request: authorised("PUT /api/onboarding/step/3 HTTP/1.1", "Content-Type: application/json\r\n", `{"data":"${"x".repeat(TWO_MIB)}"}`),
    status: 413,
    code: "payload_too_large",
  },
  {
    kind: "unsupported media type",
    request: authorised("PUT /api/onboarding/step/3 HTTP/1.1", "Content-Type: text/csv\r\n", "a,b"),
    status: 415,
    code: "unsupported_media_type",
  },
  {
    kind: "invalid JSON",
    request: authorised("PUT /api/onboarding/step/3 HTTP/1.1", "Content-Type: application/json\r\n", '{"data": '),
    status: 400,
    code: "invalid_json",
  },
  {
    kind: "prototype poisoning",
    request: authorised("PUT /api/onboarding/step/3 HTTP/1.1", "Content-Type: application/json\r\n", '{"__proto__": {"admin": true}}'),
    status: 400,
    code: "invalid_json",
  },
  { kind: "malformed request line", request: "GARBAGE\r\n\r\n", status: 400, code: "malformed_request" },
  { kind: "unknown HTTP method", request: "FETCH /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n", status: 400, code: "malformed_request" },
  { kind: "malformed header", request: "GET /healthz HTTP/1.1\r\nHost: localhost\r\nBad Header: x\r\n\r\n", status: 400, code: "malformed_request" },
  {
    kind: "both Content-Length and Transfer-Encoding",
    request: "POST /api/dev/token HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    status: 400,
    code: "malformed_request",
  },
  {
    kind: "headers over 16 KiB",
    request: `GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Padding: ${"a".repeat(20_000)}\r\n\r\n`,
    status: 431,
    code: "headers_too_large",
  },
];

describe.each(TEST_DIALECTS)("one error shape for every answer on %s", (dialect) => {
  let t: TestApp;
  let port: number;
  let token: string;

  beforeAll(async () => {
    t = await openTestApp(dialect, { STORAGE_MODE: "dual" });
    token = (await ApiClient.signIn(t.app, "user_shapes")).token;
    port = await listenOnFreePort(t.app);
  });
  afterAll(() => t.close());

  it.each(KINDS.map((k) => [k.kind, k] as const))("%s", async (_kind, { request, status, code }) => {
    const answer = await sendRaw(port, request.replace("TOKEN", token));
    expect(answer.headers["content-type"], answer.body).toMatch(/^application\/json/);
    expectErrorShape({ status: answer.status, body: JSON.parse(answer.body), text: answer.body }, status, code);
    expect(answer.body).not.toContain("FST_");
    expect(await rowCount(t, "onboarding_sessions")).toBe(0);
  });
});
