import type { Dispatcher } from "undici";
import type { JsonObject } from "../onboarding/onboarding-record.js";
import { LlmUnavailable, type ChatClient, type ChatJsonRequest } from "./chat-client.js";
import { parseJsonObjectContent } from "./json-content.js";

export interface OpenAiChatClientOptions {
  /** The API root, e.g. `https://api.openai.com/v1`; `chat/completions` is appended. */
  readonly baseUrl: URL;
  readonly apiKey: string;
  readonly model: string;
  /** Used when a request names no timeout of its own. */
  readonly defaultTimeoutMs?: number;
  readonly temperature?: number;
  /** Connections and DNS (the app's resolves off the threadpool); undici's global one otherwise. */
  readonly dispatcher?: () => Promise<Dispatcher>;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_TEMPERATURE = 0.2;
/** An answer larger than this is not one JSON analysis object; stop reading rather than buffer it. */
const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

/** Speaks the OpenAI chat-completions protocol, which most providers and local servers also accept. */
export class OpenAiChatClient implements ChatClient {
  readonly #endpoint: URL;
  readonly #apiKey: string;
  readonly #model: string;
  readonly #defaultTimeoutMs: number;
  readonly #temperature: number;
  readonly #dispatcher: (() => Promise<Dispatcher>) | undefined;

  constructor(options: OpenAiChatClientOptions) {
    this.#endpoint = completionsEndpoint(options.baseUrl);
    this.#apiKey = options.apiKey;
    this.#model = options.model;
    this.#defaultTimeoutMs = options.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.#temperature = options.temperature ?? DEFAULT_TEMPERATURE;
    this.#dispatcher = options.dispatcher;
  }

  async completeJson(chat: ChatJsonRequest): Promise<JsonObject> {
    const timeoutMs = chat.timeoutMs ?? this.#defaultTimeoutMs;
    const body = await this.#post(chat, timeoutMs);
    return parseCompletion(body);
  }

  async #post(chat: ChatJsonRequest, timeoutMs: number): Promise<string> {
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      // undici loads at the first model call, not at start (only the engines use it).
      const { request } = await import("undici");
      const dispatcher = await this.#dispatcher?.();
      const response = await request(this.#endpoint, {
        method: "POST",
        headers: {
          authorization: `Bearer ${this.#apiKey}`,
          "content-type": "application/json",
          accept: "application/json",
        },
        body: JSON.stringify(this.#requestBody(chat)),
        signal,
        ...(dispatcher === undefined ? {} : { dispatcher }),
      });
      if (response.statusCode < 200 || response.statusCode > 299) {
        // The body of a refusal may echo the key (some providers quote it), so it is never repeated.
        await response.body.dump();
        const refused = response.statusCode === 401 || response.statusCode === 403;
        throw new LlmUnavailable(`${this.#where()} answered HTTP ${response.statusCode}`, refused ? "refused" : "error");
      }
      return await readBounded(response.body, MAX_RESPONSE_BYTES, this.#where());
    } catch (error) {
      throw this.#unavailable(error, signal, timeoutMs);
    }
  }

  #requestBody(chat: ChatJsonRequest): JsonObject {
    return {
      model: this.#model,
      messages: [
        { role: "system", content: chat.system },
        { role: "user", content: chat.user },
      ],
      response_format: { type: "json_object" },
      temperature: this.#temperature,
    };
  }

  /** Transport errors are summarised by code only: their text can carry addresses or headers. */
  #unavailable(error: unknown, signal: AbortSignal, timeoutMs: number): LlmUnavailable {
    if (error instanceof LlmUnavailable) return error;
    if (signal.aborted) return new LlmUnavailable(`${this.#where()} did not answer within ${timeoutMs} ms`, "timeout");
    const code = (error as { code?: unknown } | null)?.code;
    const detail = typeof code === "string" && /^[A-Z0-9_]+$/.test(code) ? ` (${code})` : "";
    return new LlmUnavailable(`could not reach ${this.#where()}${detail}`);
  }

  /** The endpoint without any credentials that might sit in the configured URL. */
  #where(): string {
    return `${this.#endpoint.origin}${this.#endpoint.pathname}`;
  }
}

function completionsEndpoint(baseUrl: URL): URL {
  const root = baseUrl.href.endsWith("/") ? baseUrl.href : `${baseUrl.href}/`;
  return new URL("chat/completions", root);
}

async function readBounded(body: AsyncIterable<Buffer> & { destroy(): void }, maxBytes: number, where: string): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    total += chunk.length;
    if (total > maxBytes) {
      body.destroy();
      throw new LlmUnavailable(`${where} answered with more than ${maxBytes} bytes`, "bad_answer");
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function parseCompletion(body: string): JsonObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new LlmUnavailable("the chat-completions answer is not JSON", "bad_answer");
  }
  const content = (parsed as { choices?: { message?: { content?: unknown } }[] } | null)?.choices?.[0]?.message?.content;
  if (typeof content !== "string") throw new LlmUnavailable("the chat-completions answer has no choices[0].message.content", "bad_answer");
  return parseJsonObjectContent(content);
}
