import type { Kysely } from "kysely";
import { fromFlag, fromNullableJsonColumn } from "../../db/column-codecs.js";
import type { Tables } from "../../db/tables.js";
import { maskStoredKey } from "../../steps/api-keys/api-keys-persistence.js";
import { CHILD_TABLES, type UserTable } from "../shared/user-tables.js";
import { ANALYSIS_FIELDS } from "../../onboarding/analysis-fields.js";

export type RowView = Record<string, unknown>;

export interface TableView {
  readonly table: UserTable;
  readonly rows: readonly RowView[];
}

/** Which columns need decoding for display; every driver difference ends here. */
const JSON_COLUMNS: Partial<Record<UserTable, readonly string[]>> = {
  step_states: ["validation_errors"],
  website_analyses: [...ANALYSIS_FIELDS, "crawl_result"],
  research_preferences: ["content_types"],
  persona_data: ["core_persona", "platform_personas", "quality_metrics", "selected_platforms"],
  platform_integrations: ["website_platforms", "analytics_platforms", "social_platforms", "extra_settings"],
};
const FLAG_COLUMNS: Partial<Record<UserTable, readonly string[]>> = { research_preferences: ["auto_research", "factual_content"], api_keys: ["preferred"] };

/** Every row the session owns, table by table, ready to print: keys masked, never opened. */
export async function readTableViews(db: Kysely<Tables>, sessionId: number): Promise<TableView[]> {
  const session = await db.selectFrom("onboarding_sessions").selectAll().where("id", "=", sessionId).execute();
  const views: TableView[] = [{ table: "onboarding_sessions", rows: session.map((row) => presentRow("onboarding_sessions", row)) }];
  for (const table of CHILD_TABLES) {
    const rows = (await db.selectFrom(table).selectAll().where("session_id", "=", sessionId).execute()) as RowView[];
    views.push({ table, rows: rows.sort(byStepOrProvider).map((row) => presentRow(table, row)) });
  }
  return views;
}

function presentRow(table: UserTable, row: RowView): RowView {
  const shown: RowView = {};
  for (const [column, value] of Object.entries(row)) {
    if (column === "session_id") continue;
    if (column === "key_ciphertext") continue;
    shown[column] = presentValue(table, column, value);
  }
  if (table === "api_keys") shown.masked = maskedKeyOf(row);
  return shown;
}

function presentValue(table: UserTable, column: string, value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (JSON_COLUMNS[table]?.includes(column)) return fromNullableJsonColumn(value);
  if (FLAG_COLUMNS[table]?.includes(column)) return fromFlag(value as boolean | number);
  return value;
}

function maskedKeyOf(row: RowView): string {
  return maskStoredKey({ ciphertext: String(row.key_ciphertext), key_version: Number(row.key_version), last4: String(row.key_last4) });
}

function byStepOrProvider(a: RowView, b: RowView): number {
  return String(a.step_number ?? a.provider ?? "").localeCompare(String(b.step_number ?? b.provider ?? ""));
}
