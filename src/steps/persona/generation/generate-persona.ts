import { buildCorePersona, stanceOf } from "./core-persona.js";
import { enrichPersona } from "./persona-enrichment.js";
import { readPersonaInputs, type PersonaInputs } from "./persona-inputs.js";
import type { GeneratePersonaInput, GeneratePersonaOptions, GeneratePersonaResult, PersonaData } from "./persona-types.js";
import { buildPlatformPersonas } from "./platform-personas.js";
import { isKnownPlatform } from "./platform-profiles.js";
import { choosePlatforms } from "./platform-selection.js";
import { computeQualityMetrics } from "./quality-metrics.js";
import { readStyleSignals } from "./style-signals.js";

/** The model gets this long unless the caller says otherwise; the deterministic persona is the fallback. */
export const DEFAULT_LLM_TIMEOUT_MS = 30_000;

/**
 * Step 4's engine (SPEC §6): a persona from steps 2-3 that is complete and repeatable without a
 * model, and only reworded, never re-scored, with one.
 */
export async function generatePersona(input: GeneratePersonaInput, options: GeneratePersonaOptions = {}): Promise<GeneratePersonaResult> {
  const { persona, warnings } = deterministicPersona(input);
  if (options.chat === undefined) return { persona, llmEnriched: false, llmProvider: null, warnings };
  const enrichment = await enrichPersona(options.chat, {
    website: input.website,
    research: input.research,
    draft: persona,
    timeoutMs: options.timeoutMs ?? DEFAULT_LLM_TIMEOUT_MS,
  });
  if (!enrichment.ok) return { persona, llmEnriched: false, llmProvider: null, llmFailure: enrichment.reason, warnings: [...warnings, enrichment.warning] };
  const enriched: PersonaData = { ...persona, corePersona: enrichment.corePersona, platformPersonas: enrichment.platformPersonas };
  return { persona: enriched, llmEnriched: true, llmProvider: options.chat.source, warnings };
}

/** The whole persona from the inputs alone: same inputs, same persona, byte for byte. */
export function deterministicPersona(input: GeneratePersonaInput): { persona: PersonaData; warnings: string[] } {
  const inputs = readPersonaInputs(input.website ?? null, input.research ?? null);
  const signals = readStyleSignals(inputs);
  const choice = choosePlatforms(input.selectedPlatforms, inputs);
  const corePersona = buildCorePersona(inputs, signals);
  const platformPersonas = buildPlatformPersonas(choice.platforms, {
    core: corePersona,
    stance: stanceOf(signals),
    depth: inputs.research.depth,
  });
  const qualityMetrics = { ...computeQualityMetrics(inputs, signals, choice.platforms) };
  return {
    persona: { corePersona, platformPersonas, qualityMetrics, selectedPlatforms: choice.platforms },
    warnings: [...missingInputWarnings(inputs), ...choice.warnings, ...untailoredWarnings(choice.platforms)],
  };
}

function missingInputWarnings(inputs: PersonaInputs): string[] {
  const warnings: string[] = [];
  if (inputs.websiteUrl === undefined && Object.keys(inputs.analysis).length === 0) {
    warnings.push("No website analysis (step 2) was available; the persona's style rests on defaults.");
  } else if (Object.keys(inputs.analysis).length === 0) {
    warnings.push("The website has not been analysed yet; the persona's style rests on defaults.");
  }
  const { research } = inputs;
  if (research.depth === undefined && research.contentTypes.length === 0) {
    warnings.push("No research preferences (step 3) were available; the persona assumes Standard research depth.");
  }
  return warnings;
}

function untailoredWarnings(platforms: readonly string[]): string[] {
  return platforms
    .filter((platform) => !isKnownPlatform(platform))
    .map((platform) => `No tailored profile exists for "${platform}"; its persona follows the core persona.`);
}
