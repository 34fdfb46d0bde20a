import type { EditableField } from "@/shared/forms/editable-fields";

/** What a person reads and may change in the core persona. */
export const CORE_FIELDS: readonly EditableField[] = [
  { path: "persona_name", label: "Persona name" },
  { path: "archetype", label: "Archetype" },
  { path: "core_belief", label: "Core belief", multiline: true },
  { path: "brand_voice_description", label: "Brand voice", multiline: true },
  { path: "writing_guidelines.do", label: "Always", list: true },
  { path: "writing_guidelines.avoid", label: "Never", list: true },
];

/** …and in each platform's card. */
export const PLATFORM_FIELDS: readonly EditableField[] = [
  { path: "tone.adjustment", label: "Tone on this platform", multiline: true },
  { path: "call_to_action", label: "Call to action", multiline: true },
  { path: "cadence", label: "Posting rhythm" },
  { path: "emoji_usage", label: "Emoji use", multiline: true },
];

/** The quality metrics the engine computes, each with the one line that says what it measures. */
export const METRIC_NOTES: Readonly<Record<string, { label: string; reason: string }>> = {
  completeness: { label: "Completeness", reason: "How much of your website analysis and research preferences the persona draws on." },
  style_consistency: { label: "Style consistency", reason: "How well the style signals found on your site agree with each other." },
  platform_coverage: { label: "Platform coverage", reason: "How many of your chosen platforms have a profile tailored to them." },
  overall: { label: "Overall", reason: "The three scores above, weighted into one." },
};
