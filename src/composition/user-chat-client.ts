import type { Config } from "../config/config.js";
import { apiKeyContext, type SecretCipher } from "../crypto/secret-cipher.js";
import type { ChatClient } from "../llm/chat-client.js";
import { OpenAiChatClient } from "../llm/openai-chat-client.js";
import type { OutboundAgent } from "../net/outbound-agent.js";
import type { OnboardingRecord } from "../onboarding/onboarding-record.js";
import { storedKeys } from "../steps/api-keys/api-keys-definition.js";

const OPENAI_BASE_URL = new URL("https://api.openai.com/v1");
const DEFAULT_MODEL = "gpt-4o-mini";

export type ChatClientFor = (userId: string, record: OnboardingRecord | null) => ChatClient | undefined;

/**
 * The model for a user's analysis: the server's LLM_* settings when they include a key;
 * otherwise the user's own OpenAI key from step 1 (against LLM_BASE_URL when set). Without
 * either, the engines stay deterministic. Every client shares `agent` (its connections, and DNS
 * off the threadpool).
 */
export function chatClientFor(config: Pick<Config, "llm">, cipher: SecretCipher, agent: OutboundAgent): ChatClientFor {
  const dispatcher = () => agent.dispatcher();
  return (userId, record) => {
    const model = config.llm.model ?? DEFAULT_MODEL;
    const baseUrl = config.llm.baseUrl ?? OPENAI_BASE_URL;
    if (config.llm.apiKey !== undefined) return new OpenAiChatClient({ baseUrl, apiKey: config.llm.apiKey, model, dispatcher });
    const sealed = storedKeys(record?.steps[0]?.data ?? null).openai;
    if (sealed === undefined) return undefined;
    const apiKey = cipher.open({ ciphertext: sealed.ciphertext, keyVersion: sealed.key_version }, apiKeyContext(userId, "openai"));
    return new OpenAiChatClient({ baseUrl, apiKey, model, dispatcher });
  };
}
