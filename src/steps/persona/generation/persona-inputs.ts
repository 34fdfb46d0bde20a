import type { JsonObject, JsonValue } from "../../../onboarding/onboarding-record.js";
import { asObject, firstText, isFilled, listOf, textOf } from "./json-reading.js";
import { RESEARCH_DEPTH_LEVELS, type ResearchDepth } from "./persona-types.js";
import { ANALYSIS_FIELDS, type AnalysisFieldName } from "../../../onboarding/analysis-fields.js";


export interface ResearchInputs {
  readonly depth: ResearchDepth | undefined;
  readonly contentTypes: readonly string[];
  readonly autoResearch: boolean | undefined;
  readonly factualContent: boolean | undefined;
}

/** Steps 2 and 3 read once into one shape, whatever spelling the saved data used. */
export interface PersonaInputs {
  readonly websiteUrl: string | undefined;
  readonly brandName: string | undefined;
  /** Each analysis field that holds something; a bare string is kept as `{summary}`, which the readers fall back to. */
  readonly analysis: Readonly<Partial<Record<AnalysisFieldName, JsonObject>>>;
  /** Our own deterministic page metrics (SPEC §6), when the analysis carries them. */
  readonly metrics: JsonObject | undefined;
  readonly research: ResearchInputs;
}

export function readPersonaInputs(website: JsonObject | null, research: JsonObject | null): PersonaInputs {
  const analysisSource = analysisOf(website);
  const websiteUrl = textOf(website?.website) ?? textOf(website?.website_url);
  const analysis: Partial<Record<AnalysisFieldName, JsonObject>> = {};
  for (const field of ANALYSIS_FIELDS) {
    const value = fieldObject(analysisSource?.[field]);
    if (value !== undefined) analysis[field] = value;
  }
  return {
    websiteUrl,
    brandName: firstText(analysis.brand_analysis, ["brand_name", "name"]) ?? brandFromUrl(websiteUrl),
    analysis,
    metrics: asObject(analysisSource?.metrics),
    research: readResearch(research),
  };
}

/** Old progress files put the analysis fields flat beside `website` instead of under `analysis`. */
function analysisOf(website: JsonObject | null): JsonObject | undefined {
  if (website === null) return undefined;
  const nested = asObject(website.analysis);
  if (nested !== undefined) return nested;
  const flat = ANALYSIS_FIELDS.some((field) => website[field] !== undefined) || website.metrics !== undefined;
  return flat ? website : undefined;
}

function fieldObject(value: JsonValue | undefined): JsonObject | undefined {
  if (!isFilled(value)) return undefined;
  const object = asObject(value);
  if (object !== undefined) return object;
  const summary = textOf(value);
  return summary === undefined ? undefined : { summary };
}

function readResearch(research: JsonObject | null): ResearchInputs {
  const depthText = textOf(research?.research_depth)?.toLowerCase();
  return {
    depth: RESEARCH_DEPTH_LEVELS.find((level) => level.toLowerCase() === depthText),
    contentTypes: [...new Set(listOf(research?.content_types))],
    autoResearch: booleanOf(research?.auto_research),
    factualContent: booleanOf(research?.factual_content),
  };
}

function booleanOf(value: JsonValue | undefined): boolean | undefined {
  return typeof value === "boolean" ? value : undefined;
}

/** "https://www.acme-labs.co.uk/blog" → "Acme Labs": the persona needs a name before the model gives it one. */
function brandFromUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return undefined;
  }
  const label = host.replace(/^www\./, "").split(".")[0] ?? "";
  const words = label.split(/[-_]+/).filter((word) => /^[a-z0-9]+$/i.test(word));
  if (words.length === 0 || /^\d+$/.test(label)) return undefined;
  return words.map((word) => word.charAt(0).toUpperCase() + word.slice(1)).join(" ");
}
