import type { JsonObject } from "../../../onboarding/onboarding-record.js";
import { asObject, firstList, firstNumber, firstText, valueAt } from "./json-reading.js";
import type { PersonaInputs } from "./persona-inputs.js";
import {
  ARCHETYPE_BELIEFS,
  CONTRACTIONS,
  DEFAULT_TONES,
  FORBIDDEN_TONES,
  PERMISSIBLE_TONES,
  RESEARCH_HABITS,
  SENTENCE_HABITS,
  archetypeOf,
  factualEmphasis,
  perspectiveOf,
  type Archetype,
} from "./persona-traits.js";
import { complexityLabel, formalityLabel } from "./style-scales.js";
import { meanComplexity, meanFormality, type StyleSignals } from "./style-signals.js";

/** Where the axes sit when no input says anything: the middle, so nothing is exaggerated. */
const NEUTRAL = 0.5;
const LIST_LIMIT = 8;
/** Longer "tone" text is a description, not a tone to write in; the scale's label reads better. */
const MAX_TONE_LENGTH = 80;

/** The persona's two coordinates, shared by the core persona and every platform persona. */
export interface PersonaStance {
  readonly formality: number;
  readonly complexity: number;
}

export function stanceOf(signals: StyleSignals): PersonaStance {
  return { formality: meanFormality(signals) ?? NEUTRAL, complexity: meanComplexity(signals) ?? NEUTRAL };
}

/** The deterministic core persona: every field traceable to steps 2-3, or a stated default. */
export function buildCorePersona(inputs: PersonaInputs, signals: StyleSignals): JsonObject {
  const stance = stanceOf(signals);
  const formality = formalityLabel(stance.formality);
  const archetype = archetypeOf({
    ...stance,
    mentions: contentMentions(inputs),
    factual: inputs.research.factualContent === true,
    depth: inputs.research.depth,
  });
  const stated = signals.toneText;
  const tone = stated !== undefined && stated.length <= MAX_TONE_LENGTH ? stated : DEFAULT_TONES[formality];
  const audience = audienceOf(inputs, stance);
  const vocabulary = firstText(inputs.analysis.content_characteristics, ["vocabulary_level", "vocabulary"]) ?? complexityLabel(stance.complexity);
  const voice = voiceOf(inputs);
  return {
    persona_name: inputs.brandName === undefined ? `The ${archetype}` : `The ${inputs.brandName} ${archetype}`,
    archetype,
    core_belief: coreBeliefOf(inputs, archetype),
    brand_voice_description: `Writes in a ${tone} tone for ${audience.primary}, with ${vocabulary} vocabulary; ${voice.perspective}.`,
    tone: {
      default_tone: tone,
      formality,
      permissible_tones: unique([...splitTones(tone), ...PERMISSIBLE_TONES[formality]]),
      forbidden_tones: unique([...FORBIDDEN_TONES[formality], ...(inputs.research.factualContent === true ? ["sensationalist"] : [])]),
    },
    voice,
    vocabulary_level: vocabulary,
    sentence_style: sentenceStyleOf(inputs, stance),
    audience,
    content_focus: contentFocusOf(inputs),
    research_approach: researchApproachOf(inputs),
    writing_guidelines: {
      do: firstList(inputs.analysis.style_guidelines, ["guidelines", "best_practices", "recommendations"]).slice(0, LIST_LIMIT),
      avoid: firstList(inputs.analysis.style_guidelines, ["avoid_elements", "avoid"]).slice(0, LIST_LIMIT),
    },
    derived_from: derivedFrom(inputs),
  };
}

function coreBeliefOf(inputs: PersonaInputs, archetype: Archetype): string {
  const values = firstList(inputs.analysis.brand_analysis, ["brand_values", "values"]).slice(0, 3);
  if (values.length === 0) return ARCHETYPE_BELIEFS[archetype];
  return `Content earns trust by living up to ${joinWords(values.map((value) => value.toLowerCase()))}.`;
}

function audienceOf(inputs: PersonaInputs, stance: PersonaStance) {
  const { target_audience, recommended_settings } = inputs.analysis;
  return {
    primary:
      firstText(target_audience, ["primary", "primary_audience", "demographics", "audience", "summary"]) ??
      firstText(recommended_settings, ["target_audience"]) ??
      "general readers",
    expertise_level: firstText(target_audience, ["expertise_level", "expertise"]) ?? complexityLabel(stance.complexity),
    industry: firstText(target_audience, ["industry_focus", "industry"]) ?? "not specified",
    hints: unique([...firstList(target_audience, ["hints", "audience_hints"]), ...firstList(inputs.metrics, ["audience_hints"])]).slice(0, LIST_LIMIT),
  };
}

function voiceOf(inputs: PersonaInputs) {
  const person = valueAt(inputs.metrics, "person");
  const measured = perspectiveOf(asObject(person) ?? (typeof person === "string" ? person : undefined));
  const described = firstText(inputs.analysis.writing_style, ["voice"]);
  return {
    perspective: measured ?? "addresses the reader directly and keeps the brand in the background",
    description: described ?? "active voice, concrete verbs",
  };
}

function sentenceStyleOf(inputs: PersonaInputs, stance: PersonaStance) {
  const habit = SENTENCE_HABITS[complexityLabel(stance.complexity)];
  const measured =
    firstNumber(inputs.metrics, ["avg_sentence_length", "average_sentence_length", "sentence_length.average", "words_per_sentence"]) ??
    firstNumber(inputs.analysis.style_patterns, ["sentence_length", "average_sentence_length"]);
  const average = measured !== undefined && measured > 0 && measured < 80 ? Math.round(measured) : habit.words;
  return {
    average_sentence_length_words: average,
    max_sentence_length_words: Math.round(average * 1.75),
    preferred_sentence_type: firstText(inputs.analysis.content_characteristics, ["sentence_structure"]) ?? habit.type,
    contractions: CONTRACTIONS[formalityLabel(stance.formality)],
  };
}

function contentFocusOf(inputs: PersonaInputs) {
  const { content_type, content_characteristics } = inputs.analysis;
  return {
    content_types: [...inputs.research.contentTypes],
    primary_type: firstText(content_type, ["primary_type", "type"]) ?? inputs.research.contentTypes[0] ?? "articles",
    purpose: firstText(content_type, ["purpose", "goal"]) ?? "inform and help the reader act",
    topics: unique([...firstList(inputs.metrics, ["topics"]), ...firstList(content_characteristics, ["topics", "key_topics"])]).slice(0, LIST_LIMIT),
  };
}

function researchApproachOf(inputs: PersonaInputs) {
  const depth = inputs.research.depth ?? "Standard";
  return {
    depth,
    habits: RESEARCH_HABITS[depth],
    auto_research: inputs.research.autoResearch ?? false,
    factual_content: inputs.research.factualContent ?? false,
    factual_emphasis: factualEmphasis(inputs.research.factualContent),
  };
}

function derivedFrom(inputs: PersonaInputs): string[] {
  const { research } = inputs;
  const sources = [
    ...(inputs.websiteUrl !== undefined || Object.keys(inputs.analysis).length > 0 ? ["website_analysis"] : []),
    ...(inputs.metrics !== undefined ? ["page_metrics"] : []),
    ...(research.depth !== undefined || research.contentTypes.length > 0 || research.autoResearch !== undefined || research.factualContent !== undefined
      ? ["research_preferences"]
      : []),
  ];
  return sources.length > 0 ? sources : ["defaults"];
}

function contentMentions(inputs: PersonaInputs): string {
  const { content_type } = inputs.analysis;
  return [...inputs.research.contentTypes, firstText(content_type, ["primary_type", "type"]), firstText(content_type, ["purpose", "goal"])]
    .filter((text) => text !== undefined)
    .join(" | ")
    .toLowerCase();
}

function splitTones(tone: string): string[] {
  return tone.split(/,|\band\b|\byet\b|\bbut\b|\//).map((part) => part.trim().toLowerCase()).filter((part) => part !== "" && part.length <= 40);
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}

function joinWords(words: readonly string[]): string {
  return words.length <= 1 ? words.join("") : `${words.slice(0, -1).join(", ")} and ${words.at(-1)}`;
}
