import { PLATFORM_PROFILES } from "@server/steps/persona/generation/platform-profiles";

/** A persona platform as people write it ("X (Twitter)"), from the persona engine's own profiles. */
export function platformLabel(platform: string): string {
  return (PLATFORM_PROFILES as Readonly<Record<string, { label: string }>>)[platform]?.label ?? platform;
}

export type IntegrationList = "website_platforms" | "analytics_platforms" | "social_platforms";

/** Step 5's choices by the name stored for each (other names saved by other clients are shown as they are). */
export const INTEGRATIONS: readonly { list: IntegrationList; legend: string; hint: string; options: Readonly<Record<string, string>> }[] = [
  {
    list: "website_platforms",
    legend: "Website platforms",
    hint: "Where your site runs, so drafts can be published there.",
    options: { wordpress: "WordPress", wix: "Wix", webflow: "Webflow", shopify: "Shopify", ghost: "Ghost", squarespace: "Squarespace" },
  },
  {
    list: "analytics_platforms",
    legend: "Analytics",
    hint: "Where your traffic is measured, so ideas can follow what works.",
    options: { google_analytics: "Google Analytics", google_search_console: "Google Search Console", bing_webmaster_tools: "Bing Webmaster Tools", plausible: "Plausible" },
  },
  {
    list: "social_platforms",
    legend: "Social platforms",
    hint: "Where you post, so posts can be scheduled there.",
    options: { linkedin: "LinkedIn", facebook: "Facebook", instagram: "Instagram", twitter: "X (Twitter)", youtube: "YouTube", tiktok: "TikTok", pinterest: "Pinterest" },
  },
];

export function integrationLabel(list: IntegrationList, name: string): string {
  return INTEGRATIONS.find((group) => group.list === list)?.options[name] ?? name;
}

const LLM_SOURCES: Readonly<Record<string, string>> = {
  openai: "your OpenAI key",
  gemini: "your Gemini key",
  anthropic: "your Anthropic key",
  mistral: "your Mistral key",
  server: "the server's language model",
  environment: "a language-model key of the server's environment",
};

/** What made an analysis or a persona (`llm_provider`), as a sentence; null when no model did. */
export function llmSourceSentence(source: unknown): string | null {
  return typeof source === "string" && LLM_SOURCES[source] !== undefined ? `Written with a language model, using ${LLM_SOURCES[source]}.` : null;
}
