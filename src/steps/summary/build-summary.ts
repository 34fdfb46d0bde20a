import type { JsonObject, OnboardingRecord } from "../../onboarding/onboarding-record.js";
import { statusView, type StatusView } from "../../onboarding/onboarding-view.js";
import type { StepDefinition } from "../../onboarding/step-definition.js";
import { LLM_PROVIDERS } from "../../onboarding/providers.js";

export interface Summary {
  user_id: string;
  onboarding: StatusView;
  api_keys: { count: number; providers: { provider: string; masked: string }[] };
  website_url: string | null;
  style_analysis: JsonObject | null;
  research_preferences: JsonObject | null;
  persona: { corePersona: JsonObject; platformPersonas: JsonObject; qualityMetrics: JsonObject; selectedPlatforms: string[] } | null;
  integrations: JsonObject | null;
  persona_readiness: { ready: boolean; missing_data: string[] };
  capabilities_overview: {
    ai_content_generation: boolean;
    website_analysis: boolean;
    research_capabilities: boolean;
    persona_generation: boolean;
    content_optimization: boolean;
  };
}

/**
 * Step 6: everything steps 1-5 saved, as the clients of the old platform expect it. Built from
 * one record that the store read in one snapshot (from the database in every mode but `file`).
 */
export function buildSummary(userId: string, record: OnboardingRecord | null, definitions: readonly StepDefinition[]): Summary {
  const view = (n: number) => {
    const step = record?.steps[n - 1];
    const definition = definitions.find((d) => d.stepNumber === n);
    return step?.data == null ? null : (definition?.present(step.data) ?? step.data);
  };
  const keys = (view(1)?.api_keys ?? {}) as Record<string, string>;
  const website = view(2);
  const research = view(3);
  const persona = view(4);
  const hasLlmKey = LLM_PROVIDERS.some((provider) => keys[provider] !== undefined);
  const capabilities = {
    ai_content_generation: hasLlmKey,
    website_analysis: hasUsableAnalysis(website),
    research_capabilities: research !== null,
    persona_generation: persona !== null,
  };
  return {
    user_id: userId,
    onboarding: statusView(record),
    api_keys: { count: Object.keys(keys).length, providers: Object.entries(keys).map(([provider, masked]) => ({ provider, masked })) },
    website_url: typeof website?.website === "string" ? website.website : null,
    style_analysis: (website?.analysis as JsonObject | undefined) ?? null,
    research_preferences: research,
    persona: persona === null ? null : (persona as Summary["persona"]),
    integrations: view(5),
    persona_readiness: personaReadiness(hasLlmKey, website, research),
    capabilities_overview: { ...capabilities, content_optimization: Object.values(capabilities).every(Boolean) },
  };
}

/** A persona can be generated once a model key, a website analysis and research preferences exist. */
function personaReadiness(hasLlmKey: boolean, website: JsonObject | null, research: JsonObject | null) {
  const missing_data = [
    ...(hasLlmKey ? [] : ["api_keys"]),
    ...(hasUsableAnalysis(website) ? [] : ["website_analysis"]),
    ...(research !== null ? [] : ["research_preferences"]),
  ];
  return { ready: missing_data.length === 0, missing_data };
}

/** A failed or still running analysis is saved (so the user sees why) but gives the writer nothing to work with. */
function hasUsableAnalysis(website: JsonObject | null): boolean {
  const analysis = website?.analysis as JsonObject | null | undefined;
  return analysis != null && analysis.status !== "failed" && analysis.status !== "in_progress";
}
