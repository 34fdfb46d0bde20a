import { firstNumber, firstText, valueAt } from "./json-reading.js";
import type { PersonaInputs } from "./persona-inputs.js";
import {
  complexityOfReadingEase,
  complexityOfReadingLevel,
  complexityOfText,
  formalityOfMarkers,
  formalityOfText,
  mean,
} from "./style-scales.js";

/** One source's reading of a style axis, 0..1; `source` names where it came from. */
export interface StyleSignal {
  readonly source: string;
  readonly value: number;
}

export interface StyleSignals {
  readonly formality: readonly StyleSignal[];
  readonly complexity: readonly StyleSignal[];
  /** The measured reading level (metrics first, else the analysis), on the complexity axis. */
  readonly readingLevel: number | undefined;
  readonly toneText: string | undefined;
}

const READING_GRADE_PATHS = ["reading_level", "reading_level.grade", "readability.grade_level", "grade_level", "flesch_kincaid_grade", "readability.flesch_kincaid_grade"];
const READING_EASE_PATHS = ["flesch_reading_ease", "reading_ease", "readability.flesch_reading_ease", "readability.reading_ease"];

/**
 * Every style signal the inputs carry, in a fixed order so that the same inputs always give
 * the same consistency score. A source that says nothing usable is simply left out.
 */
export function readStyleSignals(inputs: PersonaInputs): StyleSignals {
  const { writing_style, recommended_settings, brand_analysis, content_characteristics, target_audience } = inputs.analysis;
  const styleTone = firstText(writing_style, ["tone", "primary_tone", "summary"]);
  const settingsTone = firstText(recommended_settings, ["writing_tone", "tone"]);
  const readingLevel = measuredReadingLevel(inputs) ?? complexityOfReadingLevel(valueAt(writing_style, "reading_level"));
  const formality = present([
    ["writing_style.tone", formalityOfText(styleTone)],
    ["recommended_settings.writing_tone", formalityOfText(settingsTone)],
    ["metrics.tone_markers", formalityOfMarkers(valueAt(inputs.metrics, "tone_markers") ?? valueAt(inputs.metrics, "tone"))],
    ["brand_analysis.brand_voice", formalityOfText(firstText(brand_analysis, ["brand_voice", "voice"]))],
  ]);
  const complexity = present([
    ["writing_style.complexity", complexityOfText(firstText(writing_style, ["complexity"]))],
    ["content_characteristics.vocabulary_level", complexityOfText(firstText(content_characteristics, ["vocabulary_level", "vocabulary"]))],
    ["target_audience.expertise_level", complexityOfText(firstText(target_audience, ["expertise_level", "expertise"]))],
    ["reading_level", readingLevel],
  ]);
  return { formality, complexity, readingLevel, toneText: styleTone ?? settingsTone };
}

export function meanFormality(signals: StyleSignals): number | undefined {
  return mean(signals.formality.map((signal) => signal.value));
}

export function meanComplexity(signals: StyleSignals): number | undefined {
  return mean(signals.complexity.map((signal) => signal.value));
}

function measuredReadingLevel(inputs: PersonaInputs): number | undefined {
  const grade = firstNumber(inputs.metrics, READING_GRADE_PATHS);
  if (grade !== undefined) return complexityOfReadingLevel(grade);
  const ease = firstNumber(inputs.metrics, READING_EASE_PATHS);
  return ease === undefined ? undefined : complexityOfReadingEase(ease);
}

function present(candidates: ReadonlyArray<readonly [string, number | undefined]>): StyleSignal[] {
  return candidates.flatMap(([source, value]) => (value === undefined ? [] : [{ source, value }]));
}
