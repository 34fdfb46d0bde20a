import type { JsonObject, JsonValue } from "../../../onboarding/onboarding-record.js";
import type { PersonaData } from "./persona-types.js";

/** Keeps a large analysis within a prompt the model reads whole; the deterministic draft already holds the gist. */
const MAX_TEXT = 2000;
const MAX_ITEMS = 30;
const MAX_DEPTH = 6;

export const PERSONA_SYSTEM_PROMPT = [
  "You refine writing personas for an AI content platform.",
  "Answer with exactly one JSON object and nothing else, of this shape:",
  '{"corePersona": {...}, "platformPersonas": {"<platform>": {...}}}',
  "corePersona refines draft_persona.corePersona: keep its snake_case keys (persona_name, archetype, core_belief,",
  "brand_voice_description, tone, voice, vocabulary_level, sentence_style, audience, content_focus, research_approach,",
  "writing_guidelines) and the type of each value; make the wording specific to this brand; you may add keys.",
  "platformPersonas holds one object per platform in selected_platforms and no other platform, each refining",
  "the draft's persona for that platform (tone, length, hashtags, formatting, cadence, call to action).",
  "Do not return quality metrics or selected platforms: those are computed elsewhere.",
  "Base everything on website_analysis and research_preferences; do not invent facts about the brand.",
].join("\n");

export interface PersonaPromptContext {
  readonly website: JsonObject | null;
  readonly research: JsonObject | null;
  readonly draft: PersonaData;
}

export function personaUserPrompt(context: PersonaPromptContext): string {
  return JSON.stringify({
    website_analysis: prune(context.website, 0),
    research_preferences: prune(context.research, 0),
    selected_platforms: context.draft.selectedPlatforms,
    draft_persona: { corePersona: context.draft.corePersona, platformPersonas: context.draft.platformPersonas },
  });
}

function prune(value: JsonValue, depth: number): JsonValue {
  if (typeof value === "string") return value.length > MAX_TEXT ? `${value.slice(0, MAX_TEXT)}…` : value;
  if (value === null || typeof value !== "object") return value;
  if (depth >= MAX_DEPTH) return null;
  if (Array.isArray(value)) return value.slice(0, MAX_ITEMS).map((item) => prune(item, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, prune(item, depth + 1)]));
}
