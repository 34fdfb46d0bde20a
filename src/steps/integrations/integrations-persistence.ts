import { fromJsonColumn, fromNullableJsonColumn, toJsonColumn, toNullableJsonColumn } from "../../db/column-codecs.js";
import type { JsonObject, JsonValue } from "../../onboarding/onboarding-record.js";
import { oneRowPerSessionTable } from "../../storage/one-row-step-table.js";
import type { StepPersistence, StepTable } from "../../storage/step-persistence.js";

const LIST_FIELDS = ["website_platforms", "analytics_platforms", "social_platforms"] as const;

/**
 * Step 5 in `platform_integrations`, one row per session. The old platform's step 5 was
 * free-form: keys we have no column for are kept in `extra_settings` and given back as they were.
 */
export const integrationsTable: StepTable = oneRowPerSessionTable("platform_integrations", {
  toRow(data) {
    const { primary_website, website_platforms, analytics_platforms, social_platforms, ...extra } = data;
    return {
      primary_website: typeof primary_website === "string" ? primary_website : null,
      website_platforms: toJsonColumn(website_platforms ?? []),
      analytics_platforms: toJsonColumn(analytics_platforms ?? []),
      social_platforms: toJsonColumn(social_platforms ?? []),
      extra_settings: toNullableJsonColumn(Object.keys(extra).length === 0 ? null : extra),
    };
  },

  fromRow(row) {
    const data: JsonObject = { ...(fromNullableJsonColumn<JsonObject>(row.extra_settings) ?? {}) };
    if (row.primary_website !== null) data.primary_website = row.primary_website;
    for (const field of LIST_FIELDS) data[field] = fromJsonColumn<JsonValue[]>(row[field]);
    return data;
  },
});

export const integrationsPersistence: StepPersistence = { stepNumber: 5, table: integrationsTable };
