/** The providers of step 1; the summary (step 6) needs them too, so they live with the shared catalogue. */
export const PROVIDERS = [
  "openai",
  "gemini",
  "anthropic",
  "mistral",
  "exa",
  "tavily",
  "serper",
  "firecrawl",
  "stability",
  "copilotkit",
] as const;
export type Provider = (typeof PROVIDERS)[number];

/** Completing step 1 needs a key for at least one of these. */
export const LLM_PROVIDERS: readonly Provider[] = ["openai", "gemini", "anthropic", "mistral"];

export function isProvider(value: string): value is Provider {
  return (PROVIDERS as readonly string[]).includes(value);
}
