import type { ChatClient, LlmSource } from "../../../llm/chat-client.js";
import type { JsonObject } from "../../../onboarding/onboarding-record.js";

/** The platforms with a tailored profile; SPEC §4 says more may be added. */
export const KNOWN_PLATFORMS = ["linkedin", "facebook", "instagram", "twitter", "blog", "medium", "substack"] as const;
export type KnownPlatform = (typeof KNOWN_PLATFORMS)[number];

export const RESEARCH_DEPTH_LEVELS = ["Basic", "Standard", "Comprehensive", "Expert"] as const;
export type ResearchDepth = (typeof RESEARCH_DEPTH_LEVELS)[number];

/** Step 4's `data`: camelCase at the top, as the old platform's front end reads it. */
export interface PersonaData {
  corePersona: JsonObject;
  platformPersonas: Record<string, JsonObject>;
  qualityMetrics: Record<string, number>;
  selectedPlatforms: string[];
}

export interface GeneratePersonaInput {
  /** Step 2's saved data, as stored: possibly partial, legacy-shaped or null. */
  readonly website: JsonObject | null;
  /** Step 3's saved data, or null when the user has not reached it. */
  readonly research: JsonObject | null;
  readonly selectedPlatforms?: readonly string[];
}

export interface GeneratePersonaOptions {
  readonly chat?: ChatClient;
  readonly timeoutMs?: number;
}

export interface GeneratePersonaResult {
  readonly persona: PersonaData;
  readonly llmEnriched: boolean;
  /** What enriched it (SPEC §6); null when nothing did. */
  readonly llmProvider: LlmSource | null;
  /** Why the model was not used, for the operator's log only. */
  readonly llmFailure?: string;
  /** Human sentences for the step's `warnings`: what was missing or what fell back. */
  readonly warnings: string[];
}
