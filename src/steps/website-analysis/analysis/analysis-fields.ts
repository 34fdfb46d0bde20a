import type { JsonObject } from "../../../onboarding/onboarding-record.js";
import { ANALYSIS_FIELDS, type AnalysisFieldName } from "../../../onboarding/analysis-fields.js";

export type AnalysisFields = Record<AnalysisFieldName, JsonObject>;

export function emptyAnalysisFields(): AnalysisFields {
  return Object.fromEntries(ANALYSIS_FIELDS.map((name) => [name, {}])) as AnalysisFields;
}
