import type { Provider } from "../../onboarding/providers.js";

export interface ProviderGuide {
  /** The provider's name as a person writes it ("OpenAI"): the page labels its field "<label> API key". */
  readonly label: string;
  readonly group: "Create" | "Research" | "Integrations";
  readonly url: string;
  readonly description: string;
  readonly setup_steps: readonly string[];
}

/** What a person needs to get each key: where to go and what to click. */
export const PROVIDER_GUIDES: Readonly<Record<Provider, ProviderGuide>> = {
  openai: {
    label: "OpenAI",
    group: "Create",
    url: "https://platform.openai.com/api-keys",
    description: "GPT models for writing and editing content",
    setup_steps: ["Sign in at platform.openai.com", "Open API keys", "Create new secret key", "Copy the key (it starts with sk-) and paste it here"],
  },
  gemini: {
    label: "Gemini",
    group: "Create",
    url: "https://aistudio.google.com/app/apikey",
    description: "Google Gemini models for writing and analysis",
    setup_steps: ["Sign in to Google AI Studio", "Click Get API key", "Create an API key in a Google Cloud project", "Copy the key (it starts with AIza) and paste it here"],
  },
  anthropic: {
    label: "Anthropic",
    group: "Create",
    url: "https://console.anthropic.com/settings/keys",
    description: "Claude models for long-form writing",
    setup_steps: ["Sign in to the Anthropic Console", "Open Settings → API keys", "Create key", "Copy the key (it starts with sk-ant-) and paste it here"],
  },
  mistral: {
    label: "Mistral",
    group: "Create",
    url: "https://console.mistral.ai/api-keys",
    description: "Mistral models for fast, affordable drafting",
    setup_steps: ["Sign in to La Plateforme", "Open API keys", "Create new key", "Copy the key and paste it here"],
  },
  exa: {
    label: "Exa",
    group: "Research",
    url: "https://dashboard.exa.ai/api-keys",
    description: "Neural web search for research and sources",
    setup_steps: ["Sign in to the Exa dashboard", "Open API keys", "Create a key", "Copy it and paste it here"],
  },
  tavily: {
    label: "Tavily",
    group: "Research",
    url: "https://app.tavily.com/home",
    description: "Search built for AI research with citations",
    setup_steps: ["Sign in to Tavily", "Copy the API key shown on the home page (it starts with tvly-)", "Paste it here"],
  },
  serper: {
    label: "Serper",
    group: "Research",
    url: "https://serper.dev/api-key",
    description: "Google search results for fact-checking and SERP research",
    setup_steps: ["Sign in to serper.dev", "Open API key", "Copy the key and paste it here"],
  },
  firecrawl: {
    label: "Firecrawl",
    group: "Research",
    url: "https://www.firecrawl.dev/app/api-keys",
    description: "Crawls websites into clean text for analysis",
    setup_steps: ["Sign in to Firecrawl", "Open API keys", "Copy the key (it starts with fc-) and paste it here"],
  },
  stability: {
    label: "Stability AI",
    group: "Create",
    url: "https://platform.stability.ai/account/keys",
    description: "Stable Diffusion images for your posts",
    setup_steps: ["Sign in to Stability AI", "Open Account → API keys", "Create or copy a key (it starts with sk-) and paste it here"],
  },
  copilotkit: {
    label: "CopilotKit",
    group: "Integrations",
    url: "https://cloud.copilotkit.ai",
    description: "The in-app writing assistant",
    setup_steps: ["Sign in to Copilot Cloud", "Create a project", "Copy its public API key and paste it here"],
  },
};
