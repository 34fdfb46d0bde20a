import { Agent } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { MODEL_PROVIDERS, type ModelProvider } from "../onboarding/providers.js";
import type { JsonObject } from "../onboarding/onboarding-record.js";
import { startModelProviderServer, type ModelProviderTestServer, type ModelReply, type RecordedModelRequest } from "../test-support/model-provider-test-server.js";
import { sparePort } from "../test-support/spare-port.js";
import { AiSdkChatClient } from "./ai-sdk-chat-client.js";
import { cappedFetch } from "./capped-fetch.js";
import { LlmBadAnswer, LlmKeyRefused, LlmUnreachable, type LlmUnavailable } from "./chat-client.js";
import type { ProviderProtocol } from "./provider-model.js";

const schema = z.object({ summary: z.string().optional(), tags: z.array(z.string()).optional() }).loose() as unknown as z.ZodType<JsonObject>;
const agent = new Agent();
const fetch = cappedFetch({ dispatcher: async () => agent, maxBytes: 64 * 1024 });

let server: ModelProviderTestServer;
/** Each test sets how the server answers; the key names what to do so that tests can run side by side. */
let reply: (request: RecordedModelRequest) => ModelReply = () => ({ json: {} });

beforeAll(async () => {
  server = await startModelProviderServer({ reply: (request) => reply(request), refuseKey: (_provider, key) => key?.startsWith("bad-") === true });
});
afterAll(async () => {
  await server.close();
  await agent.close();
});

function client(protocol: ProviderProtocol, apiKey: string, baseUrl?: URL): AiSdkChatClient {
  const provider: ModelProvider = protocol === "openai-compatible" ? "openai" : protocol;
  return new AiSdkChatClient({ source: provider, providerLabel: provider, protocol, apiKey, baseUrl: baseUrl ?? server.baseUrls[provider], model: "test-model", fetch });
}

function ask(chat: AiSdkChatClient, timeoutMs = 5_000): Promise<JsonObject> {
  return chat.completeJson({ system: "Answer with JSON.", user: "Describe the tag-42 website.", schema, timeoutMs });
}

async function failure(promise: Promise<unknown>): Promise<LlmUnavailable> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  if (!(error instanceof Error)) throw new Error("expected the call to fail");
  return error as LlmUnavailable;
}

const requestsWith = (key: string) => server.requests.filter((r) => r.key === key);

describe("AiSdkChatClient speaks each provider's own protocol", () => {
  const expected: Record<ProviderProtocol, { path: RegExp; header: string }> = {
    openai: { path: /^\/v1\/responses$/, header: "authorization" },
    "openai-compatible": { path: /^\/v1\/chat\/completions$/, header: "authorization" },
    mistral: { path: /^\/v1\/chat\/completions$/, header: "authorization" },
    gemini: { path: /^\/v1beta\/models\/test-model:generateContent$/, header: "x-goog-api-key" },
    anthropic: { path: /^\/v1\/messages$/, header: "x-api-key" },
  };

  it.each(Object.keys(expected) as ProviderProtocol[])("%s: the structured answer comes back, the key in the provider's header, the prompt in the body", async (protocol) => {
    const key = `key-${protocol}-0123456789`;
    reply = () => ({ json: { summary: `from ${protocol}`, tags: ["a", "b"] } });
    await expect(ask(client(protocol, key))).resolves.toEqual({ summary: `from ${protocol}`, tags: ["a", "b"] });
    const [request] = requestsWith(key);
    expect(request?.path).toMatch(expected[protocol].path);
    expect(String(request?.headers[expected[protocol].header])).toContain(key);
    expect(request?.body).toContain("tag-42");
    // A structured-output schema went with the request, in the provider's own field.
    expect(request?.body).toMatch(/"summary"/);
  });

  it("anthropic: the SDK asks for this open schema through a tool, and the tool call is the answer", async () => {
    const key = "key-anthropic-tool-0123456789";
    reply = () => ({ json: { summary: "by tool" } });
    await expect(ask(client("anthropic", key))).resolves.toEqual({ summary: "by tool" });
    const body = JSON.parse(requestsWith(key)[0]?.body ?? "{}") as { tools?: unknown[]; tool_choice?: { type?: string } };
    expect(body.tools).toHaveLength(1);
    expect(requestsWith(key)[0]?.headers["anthropic-version"]).toBeDefined();
  });

  it("gemini: the key never travels in the URL", async () => {
    const key = "key-gemini-url-0123456789";
    reply = () => ({ json: { summary: "ok" } });
    await ask(client("gemini", key));
    expect(requestsWith(key)[0]?.path).not.toContain(key);
  });
});

describe("AiSdkChatClient maps failures to our errors", () => {
  it.each(MODEL_PROVIDERS)("%s: a key the provider refuses is LlmKeyRefused", async (provider) => {
    const error = await failure(ask(client(provider, `bad-${provider}-0123456789`)));
    expect(error).toBeInstanceOf(LlmKeyRefused);
  });

  it("gemini: a 400 that is not about the key is not a refusal", async () => {
    reply = () => ({ status: 400, rawBody: JSON.stringify({ error: { code: 400, status: "INVALID_ARGUMENT", message: "bad schema" } }) });
    const error = await failure(ask(client("gemini", "key-gemini-400-0123456789")));
    expect(error).toBeInstanceOf(LlmUnreachable);
    expect(error).not.toBeInstanceOf(LlmKeyRefused);
  });

  it("a 500 is tried once (no retries) and its body and the key are never repeated", async () => {
    const key = "key-retry-secret-0123456789";
    reply = () => ({ status: 500, rawBody: JSON.stringify({ error: { message: `upstream broke for ${key}` } }) });
    const error = await failure(ask(client("openai", key)));
    expect(error).toBeInstanceOf(LlmUnreachable);
    expect(error.message).toContain("500");
    expect(error.message).not.toContain(key);
    expect(error.message).not.toContain("upstream broke");
    expect(requestsWith(key)).toHaveLength(1);
  });

  it.each([
    ["content that is not JSON", { usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }],
    ["a body outside the protocol", {}],
  ])("%s is a bad answer", async (_case, extra) => {
    reply = (request) => ({
      status: 200,
      rawBody: JSON.stringify({ id: "x", object: "chat.completion", created: 1, model: "m", choices: [{ index: 0, message: { role: "assistant", content: `not json ${request.key}` }, finish_reason: "stop" }], ...extra }),
    });
    const error = await failure(ask(client("mistral", "key-notjson-0123456789")));
    expect(error).toBeInstanceOf(LlmBadAnswer);
    expect(error.message).not.toContain("key-notjson");
  });

  it("a body past the cap is a bad answer, not buffered", async () => {
    reply = () => ({ json: { summary: "x".repeat(100 * 1024) } });
    const error = await failure(ask(client("gemini", "key-huge-0123456789")));
    expect(error).toBeInstanceOf(LlmBadAnswer);
    expect(error.message).toMatch(/more bytes/);
  });

  it("a provider that never answers is cut at the timeout", async () => {
    reply = () => ({ hang: true });
    const started = Date.now();
    const error = await failure(ask(client("anthropic", "key-hang-0123456789"), 300));
    expect(error).toBeInstanceOf(LlmUnreachable);
    expect(error.message).toMatch(/within 300 ms/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("a closed port is unreachable, named by code only", async () => {
    const closed = new URL(`http://127.0.0.1:${await sparePort()}/v1`);
    const error = await failure(ask(client("openai", "key-closed-0123456789", closed)));
    expect(error).toBeInstanceOf(LlmUnreachable);
    expect(error.message).not.toContain("127.0.0.1");
  });
});
