import { Agent } from "undici";
import { AiSdkChatClient } from "../llm/ai-sdk-chat-client.js";
import { cappedFetch } from "../llm/capped-fetch.js";
import type { LlmSource } from "../llm/chat-client.js";
import type { ProviderProtocol } from "../llm/provider-model.js";

/** One undici agent for the test clients of a file (the app's own goes through OutboundAgent). */
const agent = new Agent();

/** The production client, pointed at a local server of ours that speaks `protocol`. */
export function testChatClient(options: {
  readonly baseUrl: URL;
  readonly apiKey: string;
  readonly model?: string;
  readonly protocol?: ProviderProtocol;
  readonly source?: LlmSource;
  readonly providerLabel?: string;
}): AiSdkChatClient {
  const protocol = options.protocol ?? "openai-compatible";
  return new AiSdkChatClient({
    protocol,
    source: options.source ?? (protocol === "openai-compatible" ? "server" : protocol),
    providerLabel: options.providerLabel ?? "the test model",
    apiKey: options.apiKey,
    baseUrl: options.baseUrl,
    model: options.model ?? "test-model",
    fetch: cappedFetch({ dispatcher: async () => agent }),
  });
}
