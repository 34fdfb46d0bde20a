import { fromNullableJsonColumn, toNullableJsonColumn } from "../../db/column-codecs.js";
import type { JsonObject, JsonValue } from "../../onboarding/onboarding-record.js";
import { oneRowPerSessionTable } from "../../storage/one-row-step-table.js";
import type { StepFileCodec, StepPersistence, StepTable } from "../../storage/step-persistence.js";
import { ANALYSIS_FIELDS } from "../../onboarding/analysis-fields.js";

type AnalysisColumn = (typeof ANALYSIS_FIELDS)[number];

/**
 * Step 2 in `website_analyses`: one row per session. The nine analysis fields have columns of
 * their own; whatever else the analysis holds (metrics, status, llm flags) goes to `crawl_result`
 * as it is, so that a read gives back exactly what was written. `status` and the messages are
 * also copied to their columns for operators' SQL.
 */
export const websiteAnalysisTable: StepTable = oneRowPerSessionTable("website_analyses", {
  toRow(data, context) {
    const analysis = (data.analysis ?? null) as JsonObject | null;
    const columns = Object.fromEntries(ANALYSIS_FIELDS.map((field) => [field, toNullableJsonColumn(analysis?.[field])]));
    const rest = analysis === null ? null : omit(analysis, ANALYSIS_FIELDS);
    return {
      website_url: String(data.website),
      analysis_date: analysis === null ? null : context.now,
      ...(columns as Record<AnalysisColumn, string | null>),
      crawl_result: rest === null ? null : toNullableJsonColumn(rest),
      // The column is VARCHAR(50); an imported legacy file may say more, and keeps it whole in crawl_result.
      status: typeof analysis?.status === "string" ? analysis.status.slice(0, 50) : analysis === null ? "pending" : "completed",
      error_message: typeof analysis?.error_message === "string" ? analysis.error_message : null,
      warning_message: typeof analysis?.warning_message === "string" ? analysis.warning_message : null,
    };
  },

  fromRow(row) {
    const data: JsonObject = { website: row.website_url };
    const analysis: JsonObject = { ...(fromNullableJsonColumn<JsonObject>(row.crawl_result) ?? {}) };
    for (const field of ANALYSIS_FIELDS) {
      const value = fromNullableJsonColumn<JsonValue>(row[field]);
      if (value !== null) analysis[field] = value;
    }
    // We stamp analysis_date whenever we write an analysis; a legacy row may hold analysis columns without one.
    if (row.analysis_date !== null || Object.keys(analysis).length > 0) data.analysis = analysis;
    return data;
  },
});

/** Old files name the URL `website_url`, or put the analysis fields flat beside it. */
export const websiteAnalysisFileCodec: StepFileCodec = {
  toFile: (data) => data,
  fromFile(data): JsonObject | null {
    const website = typeof data.website === "string" ? data.website : data.website_url;
    if (typeof website !== "string") return null;
    const flat = Object.fromEntries(ANALYSIS_FIELDS.filter((f) => isObject(data[f])).map((f) => [f, data[f] as JsonValue]));
    const nested = isObject(data.analysis) ? (data.analysis as JsonObject) : null;
    const analysis = nested ?? (Object.keys(flat).length > 0 ? flat : null);
    return analysis === null ? { website } : { website, analysis };
  },
};

export const websiteAnalysisPersistence: StepPersistence = {
  stepNumber: 2,
  table: websiteAnalysisTable,
  file: websiteAnalysisFileCodec,
};

function omit(object: JsonObject, keys: readonly string[]): JsonObject | null {
  const rest = Object.fromEntries(Object.entries(object).filter(([key]) => !keys.includes(key)));
  return Object.keys(rest).length === 0 ? null : rest;
}

function isObject(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
