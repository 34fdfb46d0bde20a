/**
 * Where a model call goes unless a test points a base URL at its own server: a closed local
 * port (9, discard), so that a saved key of any provider never sends a request off this machine.
 */
export const CLOSED_LOCAL_LLM = "http://127.0.0.1:9/v1";

/** Every model provider's base URL (and the server's LLM_BASE_URL) at `url`. */
export function closedModelProviders(url: string = CLOSED_LOCAL_LLM): Record<string, string> {
  return { LLM_BASE_URL: url, OPENAI_BASE_URL: url, GEMINI_BASE_URL: url, ANTHROPIC_BASE_URL: url, MISTRAL_BASE_URL: url };
}
