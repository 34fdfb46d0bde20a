import type { JsonObject } from "../onboarding/onboarding-record.js";
import type { ChatClient, ChatJsonRequest, LlmSource } from "./chat-client.js";
import { toLlmError } from "./model-errors.js";
import { languageModelFor, type ProviderCall } from "./provider-model.js";

export interface AiSdkChatClientOptions extends ProviderCall {
  readonly source: LlmSource;
  readonly providerLabel: string;
  /** Used when a request names no timeout of its own. */
  readonly defaultTimeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const TEMPERATURE = 0.2;
/** An analysis or a persona fits well within this; it caps what one call can cost. */
const MAX_OUTPUT_TOKENS = 4096;

/**
 * Our ChatClient on the Vercel AI SDK (decision 0020): the provider's own protocol, structured
 * output from the request's zod schema, no retries (the user waits on this request), a timeout,
 * and errors mapped to ours. Made for one call with one user's key; nothing of it is shared.
 */
export class AiSdkChatClient implements ChatClient {
  readonly source: LlmSource;
  readonly providerLabel: string;
  readonly #call: ProviderCall;
  readonly #defaultTimeoutMs: number;

  constructor(options: AiSdkChatClientOptions) {
    this.source = options.source;
    this.providerLabel = options.providerLabel;
    this.#call = { protocol: options.protocol, apiKey: options.apiKey, baseUrl: options.baseUrl, model: options.model, fetch: options.fetch };
    this.#defaultTimeoutMs = options.defaultTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  async completeJson(chat: ChatJsonRequest): Promise<JsonObject> {
    const timeoutMs = chat.timeoutMs ?? this.#defaultTimeoutMs;
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const { generateText, Output } = await import("ai");
      const result = await generateText({
        model: await languageModelFor(this.#call),
        system: chat.system,
        prompt: chat.user,
        output: Output.object({ schema: chat.schema }),
        temperature: TEMPERATURE,
        maxOutputTokens: MAX_OUTPUT_TOKENS,
        maxRetries: 0,
        abortSignal: signal,
        // Our schemas keep open objects (the model may add its own keys); OpenAI's strict mode would refuse them.
        providerOptions: { openai: { strictJsonSchema: false } },
      });
      return result.output;
    } catch (error) {
      throw toLlmError(error, this.#call.protocol, this.providerLabel, { aborted: signal.aborted, timeoutMs });
    }
  }
}
