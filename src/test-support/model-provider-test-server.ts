import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { ModelProvider } from "../onboarding/providers.js";

/**
 * A local server speaking each model provider's own protocol, as the AI SDK's provider packages
 * call them: OpenAI's Responses API (`POST /responses`) and chat completions, Mistral's chat
 * completions (bearer key), Gemini's `generateContent` (`x-goog-api-key`), Anthropic's Messages
 * (`x-api-key`, answering with a tool call when asked for structured output through a tool), and
 * each one's model list (GET /models). It records which key came with which request body.
 */
export interface ModelProviderTestServer {
  /** Where each provider's `<PROVIDER>_BASE_URL` points: `/openai/v1`, `/gemini/v1beta`, … */
  readonly baseUrls: Readonly<Record<ModelProvider, URL>>;
  readonly requests: readonly RecordedModelRequest[];
  close(): Promise<void>;
}

export interface RecordedModelRequest {
  readonly provider: ModelProvider;
  readonly method: string;
  /** The path below the provider's prefix, e.g. `/v1/responses`, `/v1beta/models/m:generateContent`. */
  readonly path: string;
  /** The key as the provider's protocol carries it (bearer, x-goog-api-key or x-api-key). */
  readonly key: string | undefined;
  readonly headers: IncomingMessage["headers"];
  /** The raw request body (what the prompt was sent as). */
  readonly body: string;
}

export type ModelReply =
  /** The model's answer: this object as its structured output. */
  | { readonly json: object }
  /** This status and raw body (a refusal, a 500, an unusable answer). */
  | { readonly status: number; readonly rawBody: string }
  /** Never answer (timeouts). */
  | { readonly hang: true };

/** `reply` decides each generation's answer; model lists answer 200 unless `refuseKey` says the key is bad. */
export async function startModelProviderServer(options: {
  readonly reply: (request: RecordedModelRequest) => ModelReply;
  readonly refuseKey?: (provider: ModelProvider, key: string | undefined) => boolean;
}): Promise<ModelProviderTestServer> {
  const requests: RecordedModelRequest[] = [];
  const open: ServerResponse[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const recorded = recordOf(req, Buffer.concat(chunks).toString("utf8"));
      if (recorded === undefined) return send(res, 404, { error: { message: "no such provider" } });
      requests.push(recorded);
      if (options.refuseKey?.(recorded.provider, recorded.key) === true) return refuse(res, recorded.provider);
      if (req.method === "GET" && /\/models$/.test(recorded.path)) return send(res, 200, modelList(recorded.provider));
      const reply = options.reply(recorded);
      if ("hang" in reply) return void open.push(res);
      if ("rawBody" in reply) {
        res.writeHead(reply.status, { "content-type": "application/json" });
        return void res.end(reply.rawBody);
      }
      const answer = generation(recorded, reply.json);
      if (answer === undefined) return send(res, 404, { error: { message: `no route ${recorded.method} ${recorded.path}` } });
      send(res, 200, answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const root = `http://127.0.0.1:${port}`;
  return {
    baseUrls: {
      openai: new URL(`${root}/openai/v1`),
      gemini: new URL(`${root}/gemini/v1beta`),
      anthropic: new URL(`${root}/anthropic/v1`),
      mistral: new URL(`${root}/mistral/v1`),
    },
    requests,
    close: async () => {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function recordOf(req: IncomingMessage, body: string): RecordedModelRequest | undefined {
  const match = /^\/(openai|gemini|anthropic|mistral)(\/[^?]*)/.exec(req.url ?? "");
  if (match === null) return undefined;
  const provider = match[1] as ModelProvider;
  const header = (name: string) => (typeof req.headers[name] === "string" ? (req.headers[name] as string) : undefined);
  const key =
    provider === "gemini" ? header("x-goog-api-key") : provider === "anthropic" ? header("x-api-key") : header("authorization")?.replace(/^Bearer /, "");
  return { provider, method: req.method ?? "", path: match[2] ?? "", key, headers: req.headers, body };
}

/** Each provider's own refusal of a key: Gemini's is a 400 with the reason API_KEY_INVALID. */
function refuse(res: ServerResponse, provider: ModelProvider): void {
  if (provider === "gemini") {
    return send(res, 400, {
      error: { code: 400, message: "API key not valid. Please pass a valid API key.", status: "INVALID_ARGUMENT", details: [{ reason: "API_KEY_INVALID" }] },
    });
  }
  if (provider === "anthropic") return send(res, 401, { type: "error", error: { type: "authentication_error", message: "invalid x-api-key" } });
  send(res, 401, { error: { message: "Incorrect API key provided", type: "invalid_request_error", code: "invalid_api_key" } });
}

function modelList(provider: ModelProvider): object {
  if (provider === "gemini") return { models: [{ name: "models/test-model", displayName: "Test" }] };
  if (provider === "anthropic") return { data: [{ type: "model", id: "test-model", display_name: "Test", created_at: "2025-01-01T00:00:00Z" }], has_more: false };
  return { object: "list", data: [{ id: "test-model", object: "model", created: 1_700_000_000, owned_by: "test" }] };
}

/** The provider's success answer carrying `json` the way its protocol does; undefined for a path it does not have. */
function generation(request: RecordedModelRequest, json: object): object | undefined {
  const text = JSON.stringify(json);
  const { provider, path, method } = request;
  if (method !== "POST") return undefined;
  if (provider === "openai" && path === "/v1/responses") return responsesAnswer(text);
  if ((provider === "openai" || provider === "mistral") && path === "/v1/chat/completions") return chatCompletion(text);
  if (provider === "gemini" && /^\/v1beta\/models\/[^/]+:generateContent$/.test(path)) {
    return {
      candidates: [{ content: { role: "model", parts: [{ text }] }, finishReason: "STOP", index: 0 }],
      usageMetadata: { promptTokenCount: 1, candidatesTokenCount: 1, totalTokenCount: 2 },
      modelVersion: "test-model",
    };
  }
  if (provider === "anthropic" && path === "/v1/messages") return anthropicMessage(request.body, json);
  return undefined;
}

export function responsesAnswer(text: string): object {
  return {
    id: "resp_test",
    object: "response",
    created_at: 1_700_000_000,
    status: "completed",
    model: "test-model",
    output: [{ type: "message", id: "msg_test", role: "assistant", status: "completed", content: [{ type: "output_text", text, annotations: [] }] }],
    incomplete_details: null,
    usage: { input_tokens: 1, output_tokens: 1, total_tokens: 2, input_tokens_details: { cached_tokens: 0 }, output_tokens_details: { reasoning_tokens: 0 } },
  };
}

function chatCompletion(text: string): object {
  return {
    id: "chatcmpl-test",
    object: "chat.completion",
    created: 1_700_000_000,
    model: "test-model",
    choices: [{ index: 0, message: { role: "assistant", content: text }, finish_reason: "stop" }],
    usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
  };
}

/** A tool call when the request offered a tool (the SDK's JSON tool for structured output), else text. */
function anthropicMessage(body: string, json: object): object {
  const tool = (JSON.parse(body) as { tools?: { name?: string }[] }).tools?.[0]?.name;
  const content = tool === undefined ? [{ type: "text", text: JSON.stringify(json) }] : [{ type: "tool_use", id: "toolu_test", name: tool, input: json }];
  return {
    id: "msg_test",
    type: "message",
    role: "assistant",
    model: "test-model",
    content,
    stop_reason: tool === undefined ? "end_turn" : "tool_use",
    stop_sequence: null,
    usage: { input_tokens: 1, output_tokens: 1 },
  };
}

function send(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}
