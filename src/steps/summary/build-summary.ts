import type { JsonObject, OnboardingRecord } from "../../onboarding/onboarding-record.js";
import { statusView, type StatusView } from "../../onboarding/onboarding-view.js";
import type { StepDefinition } from "../../onboarding/step-definition.js";
import { LLM_PROVIDERS } from "../../onboarding/providers.js";
import { personalizationSettings, type PersonalizationSettings, type PersonaView } from "./personalization-settings.js";

/** The one onboarding flow this service runs (the old platform also had a LinkedIn-only flow). */
export const ONBOARDING_TYPE = "website";

export interface Capabilities {
  ai_content_generation: boolean;
  website_analysis: boolean;
  research_capabilities: boolean;
  persona_generation: boolean;
  content_optimization: boolean;
}

export interface Summary {
  user_id: string;
  onboarding: StatusView;
  api_keys: { count: number; providers: { provider: string; masked: string }[] };
  website_url: string | null;
  style_analysis: JsonObject | null;
  research_preferences: JsonObject | null;
  persona: PersonaView | null;
  integrations: JsonObject | null;
  persona_readiness: { ready: boolean; reason: string; missing_data: string[] };
  capabilities_overview: Capabilities;
  // The old platform's names for the same facts, so that its Step 6 screen finds them:
  personalization_settings: PersonalizationSettings | null;
  configuration_and_capabilities: { capabilities_overview: Capabilities };
  onboarding_type: string;
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
  const persona = view(4) as PersonaView | null;
  const hasLlmKey = LLM_PROVIDERS.some((provider) => keys[provider] !== undefined);
  const capabilities = {
    ai_content_generation: hasLlmKey,
    website_analysis: hasUsableAnalysis(website),
    research_capabilities: research !== null,
    persona_generation: persona !== null,
  };
  const capabilitiesOverview = { ...capabilities, content_optimization: Object.values(capabilities).every(Boolean) };
  const analysis = (website?.analysis as JsonObject | undefined) ?? null;
  return {
    user_id: userId,
    onboarding: statusView(record),
    api_keys: { count: Object.keys(keys).length, providers: Object.entries(keys).map(([provider, masked]) => ({ provider, masked })) },
    website_url: typeof website?.website === "string" ? website.website : null,
    style_analysis: analysis,
    research_preferences: research,
    persona,
    integrations: view(5),
    persona_readiness: personaReadiness(hasLlmKey, website, research),
    capabilities_overview: capabilitiesOverview,
    personalization_settings: personalizationSettings(persona, analysis),
    configuration_and_capabilities: { capabilities_overview: capabilitiesOverview },
    onboarding_type: ONBOARDING_TYPE,
  };
}

const READINESS_NEEDS = {
  api_keys: "a language model key (step 1)",
  website_analysis: "a website analysis (step 2)",
  research_preferences: "research preferences (step 3)",
} as const;

/** A persona can be generated once a model key, a website analysis and research preferences exist. */
function personaReadiness(hasLlmKey: boolean, website: JsonObject | null, research: JsonObject | null): Summary["persona_readiness"] {
  const missing_data = [
    ...(hasLlmKey ? [] : ["api_keys" as const]),
    ...(hasUsableAnalysis(website) ? [] : ["website_analysis" as const]),
    ...(research !== null ? [] : ["research_preferences" as const]),
  ];
  const reason =
    missing_data.length === 0
      ? "Ready: a language model key, a website analysis and research preferences are saved"
      : `Not ready: missing ${missing_data.map((need) => READINESS_NEEDS[need]).join(", ")}`;
  return { ready: missing_data.length === 0, reason, missing_data };
}

/** A failed or still running analysis is saved (so the user sees why) but gives the writer nothing to work with. */
function hasUsableAnalysis(website: JsonObject | null): boolean {
  const analysis = website?.analysis as JsonObject | null | undefined;
  return analysis != null && analysis.status !== "failed" && analysis.status !== "in_progress";
}
