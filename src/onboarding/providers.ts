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

/** The language-model providers, in the order that picks a user's model when several keys are saved (SPEC §6). */
export const MODEL_PROVIDERS = ["openai", "gemini", "anthropic", "mistral"] as const satisfies readonly Provider[];
export type ModelProvider = (typeof MODEL_PROVIDERS)[number];

/** Completing step 1 needs a key for at least one of these. */
export const LLM_PROVIDERS: readonly Provider[] = MODEL_PROVIDERS;

export function isProvider(value: string): value is Provider {
  return (PROVIDERS as readonly string[]).includes(value);
}
