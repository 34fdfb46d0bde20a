import type { LanguageModel } from "ai";
import type { ModelProvider } from "../onboarding/providers.js";

/** Each provider's own API, and the server's LLM_* endpoint, which speaks OpenAI's chat completions. */
export type ProviderProtocol = ModelProvider | "openai-compatible";

/** One call's provider: made from one user's key for one request, then dropped. */
export interface ProviderCall {
  readonly protocol: ProviderProtocol;
  readonly apiKey: string;
  readonly baseUrl: URL;
  readonly model: string;
  readonly fetch: typeof globalThis.fetch;
}

/**
 * A language model of the AI SDK bound to this key and this fetch. Every setting is passed
 * explicitly, so the SDK never falls back to reading OPENAI_API_KEY or the like from the process
 * environment. The SDK's provider packages load at the first model call, not at start.
 */
export async function languageModelFor(call: ProviderCall): Promise<LanguageModel> {
  const settings = { apiKey: call.apiKey, baseURL: apiRoot(call.baseUrl), fetch: call.fetch };
  switch (call.protocol) {
    case "openai":
      // OpenAI's own default for a model is its Responses API (`POST /responses`).
      return (await import("@ai-sdk/openai")).createOpenAI(settings)(call.model);
    case "openai-compatible":
      // Gateways and local servers speak chat completions; few have /responses.
      return (await import("@ai-sdk/openai")).createOpenAI(settings).chat(call.model);
    case "gemini":
      return (await import("@ai-sdk/google")).createGoogleGenerativeAI(settings)(call.model);
    case "anthropic":
      return (await import("@ai-sdk/anthropic")).createAnthropic(settings)(call.model);
    case "mistral":
      return (await import("@ai-sdk/mistral")).createMistral(settings)(call.model);
  }
}

/** The SDK appends `/responses`, `/models/…`, `/messages` to the root itself. */
export function apiRoot(baseUrl: URL): string {
  return baseUrl.href.replace(/\/+$/, "");
}
