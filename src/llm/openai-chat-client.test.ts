import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { LlmUnavailable } from "./chat-client.js";
import { startChatCompletionsServer, type ChatCompletionsTestServer, type ChatServerReply } from "../test-support/chat-completions-test-server.js";
import { OpenAiChatClient } from "./openai-chat-client.js";

const API_KEY = "sk-test-SECRET-0123456789abcdef";
const servers: ChatCompletionsTestServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

async function serverReplying(reply: ChatServerReply): Promise<ChatCompletionsTestServer> {
  const server = await startChatCompletionsServer(() => reply);
  servers.push(server);
  return server;
}

function clientFor(baseUrl: URL): OpenAiChatClient {
  return new OpenAiChatClient({ baseUrl, apiKey: API_KEY, model: "test-model" });
}

async function failureOf(promise: Promise<unknown>): Promise<LlmUnavailable> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(LlmUnavailable);
  const failure = error as LlmUnavailable;
  expect(failure.message).not.toContain(API_KEY);
  return failure;
}

describe("OpenAiChatClient", () => {
  it("posts a chat-completions request and returns the content as an object", async () => {
    const server = await serverReplying({ content: '{"tone":"friendly","score":3}' });

    const answer = await clientFor(server.baseUrl).completeJson({ system: "be brief", user: "analyse this" });

    expect(answer).toEqual({ tone: "friendly", score: 3 });
    expect(server.requests).toHaveLength(1);
    const [received] = server.requests;
    expect(received?.path).toBe("/v1/chat/completions");
    expect(received?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(received?.body).toMatchObject({
      model: "test-model",
      messages: [
        { role: "system", content: "be brief" },
        { role: "user", content: "analyse this" },
      ],
      response_format: { type: "json_object" },
    });
    expect(typeof (received?.body as { temperature?: unknown }).temperature).toBe("number");
  });

  it("accepts a base URL with a trailing slash", async () => {
    const server = await serverReplying({ content: "{}" });
    const withSlash = new URL(`${server.baseUrl.href}/`);

    await clientFor(withSlash).completeJson({ system: "s", user: "u" });

    expect(server.requests[0]?.path).toBe("/v1/chat/completions");
  });

  it("tolerates a JSON code fence around the content", async () => {
    const server = await serverReplying({ content: '```json\n{"voice":"we"}\n```' });

    expect(await clientFor(server.baseUrl).completeJson({ system: "s", user: "u" })).toEqual({ voice: "we" });
  });

  it("fails on a non-2xx status without repeating the body, which may quote the key", async () => {
    const server = await serverReplying({ status: 401, rawBody: `{"error":"Incorrect API key provided: ${API_KEY}"}` });

    const failure = await failureOf(clientFor(server.baseUrl).completeJson({ system: "s", user: "u" }));

    expect(failure.message).toContain("HTTP 401");
  });

  it("fails on a 500", async () => {
    const server = await serverReplying({ status: 500, rawBody: "upstream exploded" });

    const failure = await failureOf(clientFor(server.baseUrl).completeJson({ system: "s", user: "u" }));

    expect(failure.message).toContain("HTTP 500");
  });

  it.each([
    ["a body that is not JSON", { status: 200, rawBody: "<html>gateway</html>" }, "not JSON"],
    ["a completion without choices", { status: 200, rawBody: '{"choices":[]}' }, "choices[0].message.content"],
    ["content that is not JSON", { content: "Sure! Here is the analysis you asked for." }, "content is not JSON"],
    ["content that is a JSON array", { content: "[1,2]" }, "not an object (array)"],
  ] as const)("fails on %s", async (_name, reply: ChatServerReply, expected) => {
    const server = await serverReplying(reply);

    const failure = await failureOf(clientFor(server.baseUrl).completeJson({ system: "s", user: "u" }));

    expect(failure.message).toContain(expected);
  });

  it("fails when the server does not answer within the request's timeout", async () => {
    const server = await serverReplying({ hang: true });

    const failure = await failureOf(clientFor(server.baseUrl).completeJson({ system: "s", user: "u", timeoutMs: 200 }));

    expect(failure.message).toContain("did not answer within 200 ms");
  });

  it("fails when nothing listens at the endpoint", async () => {
    const port = await closedPort();
    const client = clientFor(new URL(`http://127.0.0.1:${port}/v1`));

    const failure = await failureOf(client.completeJson({ system: "s", user: "u" }));

    expect(failure.message).toContain("could not reach");
  });

  it("never puts the key in the message even when the base URL carries credentials", async () => {
    const server = await serverReplying({ status: 503, rawBody: "" });
    const withCredentials = new URL(server.baseUrl.href);
    withCredentials.username = "user";
    withCredentials.password = API_KEY;
    withCredentials.search = `?key=${API_KEY}`;

    await failureOf(clientFor(withCredentials).completeJson({ system: "s", user: "u" }));
  });
});

/** A port that was free a moment ago: bind, read it, release it. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
