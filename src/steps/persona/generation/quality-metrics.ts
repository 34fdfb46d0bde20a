import type { PersonaInputs } from "./persona-inputs.js";
import { isKnownPlatform } from "./platform-profiles.js";
import { mean } from "./style-scales.js";
import { meanFormality, type StyleSignal, type StyleSignals } from "./style-signals.js";
import { ANALYSIS_FIELDS } from "../../../onboarding/analysis-fields.js";

/**
 * SPEC §6: quality metrics are computed from the inputs, never invented and never taken from
 * the model, so the same steps 2-3 always score the same with or without an LLM. Every value
 * is 0..100 with at most one decimal.
 */
export interface QualityMetrics {
  readonly completeness: number;
  readonly style_consistency: number;
  readonly platform_coverage: number;
  readonly overall: number;
}

/** The weights of `overall`: the data behind the persona matters most, then its coherence, then reach. */
export const OVERALL_WEIGHTS = { completeness: 0.4, style_consistency: 0.35, platform_coverage: 0.25 } as const;

/** Reported when no two style signals can be compared: nothing agrees, nothing conflicts. */
export const UNKNOWN_CONSISTENCY = 50;

export function computeQualityMetrics(
  inputs: PersonaInputs,
  signals: StyleSignals,
  selectedPlatforms: readonly string[],
): QualityMetrics {
  const completeness = completenessOf(inputs);
  const style_consistency = styleConsistencyOf(signals);
  const platform_coverage = platformCoverageOf(selectedPlatforms);
  const overall = round1(
    OVERALL_WEIGHTS.completeness * completeness +
      OVERALL_WEIGHTS.style_consistency * style_consistency +
      OVERALL_WEIGHTS.platform_coverage * platform_coverage,
  );
  return { completeness, style_consistency, platform_coverage, overall };
}

/**
 * completeness = 100 × present / 14, over the fields a persona is built from: the website
 * URL, each of the nine analysis fields holding something, and step 3's research depth (a
 * known level), content types (at least one), auto_research and factual_content (booleans).
 */
export function completenessOf(inputs: PersonaInputs): number {
  const { research } = inputs;
  const present = [
    inputs.websiteUrl !== undefined,
    ...ANALYSIS_FIELDS.map((field) => inputs.analysis[field] !== undefined),
    research.depth !== undefined,
    research.contentTypes.length > 0,
    research.autoResearch !== undefined,
    research.factualContent !== undefined,
  ];
  return round1((100 * present.filter(Boolean).length) / present.length);
}

/**
 * style_consistency = 100 × mean agreement over every comparable pair of style signals, where
 * a pair's agreement is 1 − |a − b| on a 0..1 axis. The pairs: each two formality signals
 * (writing_style tone, recommended_settings tone, metrics tone markers, brand voice), each two
 * complexity signals (writing_style complexity, vocabulary level, audience expertise, reading
 * level), and formality (their mean) against the reading level. With no pair it is 50.
 */
export function styleConsistencyOf(signals: StyleSignals): number {
  const agreements = [...pairAgreements(signals.formality), ...pairAgreements(signals.complexity)];
  const formality = meanFormality(signals);
  if (formality !== undefined && signals.readingLevel !== undefined) {
    agreements.push(agreement(formality, signals.readingLevel));
  }
  const consistency = mean(agreements);
  return consistency === undefined ? UNKNOWN_CONSISTENCY : round1(100 * consistency);
}

/**
 * platform_coverage = 100 × selected platforms with a tailored profile / selected platforms.
 * A platform we hold no profile for still gets a persona (the core one, untailored) but
 * lowers coverage.
 */
export function platformCoverageOf(selectedPlatforms: readonly string[]): number {
  if (selectedPlatforms.length === 0) return 0;
  const tailored = selectedPlatforms.filter(isKnownPlatform).length;
  return round1((100 * tailored) / selectedPlatforms.length);
}

function pairAgreements(signals: readonly StyleSignal[]): number[] {
  return signals.flatMap((first, index) => signals.slice(index + 1).map((second) => agreement(first.value, second.value)));
}

function agreement(first: number, second: number): number {
  return 1 - Math.abs(first - second);
}

export function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
