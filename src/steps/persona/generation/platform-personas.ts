import type { JsonObject } from "../../../onboarding/onboarding-record.js";
import type { PersonaStance } from "./core-persona.js";
import { firstNumber, firstText } from "./json-reading.js";
import { PLATFORM_PROFILES, isKnownPlatform, type PlatformProfile } from "./platform-profiles.js";
import type { ResearchDepth } from "./persona-types.js";
import { clamp01, formalityLabel } from "./style-scales.js";

/** Deeper research makes longer long-form pieces; short-form limits do not move. */
const DEPTH_LENGTH_FACTOR: Readonly<Record<ResearchDepth, number>> = { Basic: 0.7, Standard: 1, Comprehensive: 1.3, Expert: 1.6 };

export interface PlatformContext {
  readonly core: JsonObject;
  readonly stance: PersonaStance;
  readonly depth: ResearchDepth | undefined;
}

/** One persona per platform, in the order given; each names the core persona it adapts. */
export function buildPlatformPersonas(platforms: readonly string[], context: PlatformContext): Record<string, JsonObject> {
  const personas: Record<string, JsonObject> = {};
  for (const platform of platforms) {
    personas[platform] = isKnownPlatform(platform)
      ? tailoredPersona(platform, PLATFORM_PROFILES[platform], context)
      : untailoredPersona(platform, context);
  }
  return personas;
}

function tailoredPersona(platform: string, profile: PlatformProfile, context: PlatformContext): JsonObject {
  const coreSentence = firstNumber(context.core, ["sentence_style.average_sentence_length_words"]) ?? profile.maxSentenceWords;
  const [minWords, maxWords] = lengthOf(profile, context.depth);
  return {
    platform,
    label: profile.label,
    tailored: true,
    follows_core: personaName(context.core),
    tone: {
      base_tone: baseTone(context.core),
      adjustment: profile.toneAdjustment,
      formality: formalityLabel(clamp01(context.stance.formality + profile.formalityShift)),
    },
    length: { min_words: minWords, max_words: maxWords, character_limit: profile.characterLimit },
    sentence_style: {
      average_sentence_length_words: Math.min(coreSentence, profile.maxSentenceWords),
      max_sentence_length_words: profile.maxSentenceWords,
    },
    hashtags: { min: profile.hashtags[0], max: profile.hashtags[1], strategy: profile.hashtagStrategy },
    emoji_usage: profile.emojiUsage,
    formatting: { paragraph_structure: profile.paragraphStructure, link_placement: profile.linkPlacement },
    cadence: profile.cadence,
    call_to_action: profile.callToAction,
    best_practices: [...profile.bestPractices],
  };
}

/** A platform we hold no profile for still gets the core voice, marked so coverage can count it. */
function untailoredPersona(platform: string, context: PlatformContext): JsonObject {
  return {
    platform,
    label: platform,
    tailored: false,
    follows_core: personaName(context.core),
    tone: {
      base_tone: baseTone(context.core),
      adjustment: "the core voice unchanged",
      formality: formalityLabel(context.stance.formality),
    },
    guidance: "No tailored profile exists for this platform yet: write as the core persona and respect the platform's own limits.",
  };
}

function lengthOf(profile: PlatformProfile, depth: ResearchDepth | undefined): readonly [number, number] {
  if (!profile.longForm) return profile.words;
  const factor = DEPTH_LENGTH_FACTOR[depth ?? "Standard"];
  return [roundTo50(profile.words[0] * factor), roundTo50(profile.words[1] * factor)];
}

function roundTo50(words: number): number {
  return Math.round(words / 50) * 50;
}

function personaName(core: JsonObject): string {
  return firstText(core, ["persona_name"]) ?? "core persona";
}

function baseTone(core: JsonObject): string {
  return firstText(core, ["tone.default_tone"]) ?? "clear and approachable";
}
