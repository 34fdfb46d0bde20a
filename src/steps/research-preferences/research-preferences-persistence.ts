import { fromFlag, fromJsonColumn, toFlag, toIsoTimestamp, toJsonColumn } from "../../db/column-codecs.js";
import type { StepPersistence, StepTable } from "../../storage/step-persistence.js";
import type { ResearchPreferences } from "./research-preferences-schema.js";

/** Step 3 in `research_preferences`: one row per session. */
export const researchPreferencesTable: StepTable = {
  async write(trx, sessionId, data, context) {
    if (data === null) {
      await trx.deleteFrom("research_preferences").where("session_id", "=", sessionId).execute();
      return;
    }
    const preferences = data as unknown as ResearchPreferences;
    const values = {
      research_depth: preferences.research_depth,
      content_types: toJsonColumn(preferences.content_types),
      auto_research: toFlag(preferences.auto_research),
      factual_content: toFlag(preferences.factual_content),
      updated_at: context.now,
    };
    await trx
      .insertInto("research_preferences")
      .values({ session_id: sessionId, created_at: context.now, ...values })
      .onConflict((conflict) => conflict.column("session_id").doUpdateSet(values))
      .execute();
  },

  async read(db, sessionId) {
    const row = await db.selectFrom("research_preferences").selectAll().where("session_id", "=", sessionId).executeTakeFirst();
    if (row === undefined) return null;
    return {
      data: {
        research_depth: row.research_depth,
        content_types: fromJsonColumn<string[]>(row.content_types),
        auto_research: fromFlag(row.auto_research),
        factual_content: fromFlag(row.factual_content),
      },
      updatedAt: toIsoTimestamp(row.updated_at),
    };
  },
};

export const researchPreferencesPersistence: StepPersistence = { stepNumber: 3, table: researchPreferencesTable };
