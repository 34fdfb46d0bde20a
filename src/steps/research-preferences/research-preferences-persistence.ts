import { fromFlag, fromJsonColumn, toFlag, toJsonColumn } from "../../db/column-codecs.js";
import { oneRowPerSessionTable } from "../../storage/one-row-step-table.js";
import type { StepPersistence, StepTable } from "../../storage/step-persistence.js";
import type { ResearchPreferences } from "./research-preferences-schema.js";

/** Step 3 in `research_preferences`: one row per session. */
export const researchPreferencesTable: StepTable = oneRowPerSessionTable("research_preferences", {
  toRow(data) {
    const preferences = data as unknown as ResearchPreferences;
    return {
      research_depth: preferences.research_depth,
      content_types: toJsonColumn(preferences.content_types),
      auto_research: toFlag(preferences.auto_research),
      factual_content: toFlag(preferences.factual_content),
    };
  },

  fromRow(row) {
    return {
      research_depth: row.research_depth,
      content_types: fromJsonColumn<string[]>(row.content_types),
      auto_research: fromFlag(row.auto_research),
      factual_content: fromFlag(row.factual_content),
    };
  },
});

export const researchPreferencesPersistence: StepPersistence = { stepNumber: 3, table: researchPreferencesTable };
