import { USER_TABLES } from "../../shared/user-tables.js";

/**
 * How each table of the old platform maps onto ours (migration 1). Both upgraders read this
 * one plan, so SQLite and PostgreSQL fill, keep and drop exactly the same columns.
 */

export type ColumnKind = "plain" | "json" | "flag" | "timestamp";

/** What a NOT NULL column of ours gets where the legacy row holds NULL (counted in the report). */
export type Fill =
  | { readonly constant: "one" | "zero" | "true" | "completed" | "empty-array" }
  /** The first non-null of these legacy columns, else the time of the upgrade. */
  | { readonly otherwise: readonly string[] };

export interface CopiedColumn {
  readonly name: string;
  readonly kind: ColumnKind;
  readonly fill?: Fill;
}

export interface TablePlan {
  readonly table: LegacyTableName;
  /** Copied under the same name (id and session_id are handled by the upgraders). */
  readonly copied: readonly CopiedColumn[];
  /** Legacy columns our schema has no place for: their values stay in the backup only. */
  readonly dropped: readonly string[];
  /** Rows kept per surviving session: one, or one per provider; older duplicates stay in the backup. */
  readonly keepNewestPer: readonly string[];
}

export const LEGACY_TABLES = [
  "onboarding_sessions",
  "api_keys",
  "website_analyses",
  "research_preferences",
  "persona_data",
] as const;
export type LegacyTableName = (typeof LEGACY_TABLES)[number];

export const CHILD_TABLES = ["api_keys", "website_analyses", "research_preferences", "persona_data"] as const;
export type ChildTableName = (typeof CHILD_TABLES)[number];

/** Every table of our schema after the upgrade (a user's tables), in the order counts are reported. */
export const OUR_TABLES = USER_TABLES;

const createdAt: CopiedColumn = { name: "created_at", kind: "timestamp", fill: { otherwise: ["updated_at"] } };
const updatedAt: CopiedColumn = { name: "updated_at", kind: "timestamp", fill: { otherwise: ["created_at"] } };
const json = (name: string): CopiedColumn => ({ name, kind: "json" });

export const SESSION_PLAN: TablePlan = {
  table: "onboarding_sessions",
  copied: [
    { name: "current_step", kind: "plain", fill: { constant: "one" } },
    { name: "progress", kind: "plain", fill: { constant: "zero" } },
    { name: "started_at", kind: "timestamp", fill: { otherwise: ["updated_at"] } },
    { name: "updated_at", kind: "timestamp", fill: { otherwise: ["started_at"] } },
  ],
  dropped: [],
  keepNewestPer: [],
};

export const CHILD_PLANS: Readonly<Record<ChildTableName, TablePlan>> = {
  api_keys: {
    table: "api_keys",
    // The plaintext `key` is not copied: it becomes key_ciphertext, key_last4 and key_version.
    copied: [{ name: "provider", kind: "plain" }, createdAt, updatedAt],
    dropped: [],
    keepNewestPer: ["provider"],
  },
  website_analyses: {
    table: "website_analyses",
    copied: [
      { name: "website_url", kind: "plain" },
      { name: "analysis_date", kind: "timestamp" },
      ...[
        "writing_style",
        "content_characteristics",
        "target_audience",
        "content_type",
        "recommended_settings",
        "crawl_result",
        "style_patterns",
        "style_guidelines",
      ].map(json),
      { name: "status", kind: "plain", fill: { constant: "completed" } },
      { name: "error_message", kind: "plain" },
      { name: "warning_message", kind: "plain" },
      createdAt,
      updatedAt,
    ],
    dropped: [],
    keepNewestPer: [],
  },
  research_preferences: {
    table: "research_preferences",
    copied: [
      { name: "research_depth", kind: "plain" },
      { name: "content_types", kind: "json", fill: { constant: "empty-array" } },
      { name: "auto_research", kind: "flag", fill: { constant: "true" } },
      { name: "factual_content", kind: "flag", fill: { constant: "true" } },
      createdAt,
      updatedAt,
    ],
    // The old platform copied step 2's style analysis here; ours keeps it in website_analyses only.
    dropped: ["writing_style", "content_characteristics", "target_audience", "recommended_settings"],
    keepNewestPer: [],
  },
  persona_data: {
    table: "persona_data",
    copied: [...["core_persona", "platform_personas", "quality_metrics", "selected_platforms"].map(json), createdAt, updatedAt],
    dropped: [],
    keepNewestPer: [],
  },
};

/** The legacy columns of each table, exactly as alwrity-schema.sql declares them. */
export const LEGACY_COLUMNS: Readonly<Record<LegacyTableName, readonly string[]>> = {
  onboarding_sessions: ["id", "user_id", ...SESSION_PLAN.copied.map((c) => c.name)],
  api_keys: ["id", "session_id", "provider", "key", "created_at", "updated_at"],
  website_analyses: legacyChildColumns("website_analyses"),
  research_preferences: legacyChildColumns("research_preferences"),
  persona_data: legacyChildColumns("persona_data"),
};

function legacyChildColumns(table: Exclude<ChildTableName, "api_keys">): string[] {
  const plan = CHILD_PLANS[table];
  return ["id", "session_id", ...plan.copied.map((c) => c.name), ...plan.dropped];
}

export function planOf(table: LegacyTableName): TablePlan {
  return table === "onboarding_sessions" ? SESSION_PLAN : CHILD_PLANS[table];
}

/** `table.column` names of every column that has a fill rule: the report counts each. */
export function filledColumns(): string[] {
  return LEGACY_TABLES.flatMap((table) =>
    planOf(table)
      .copied.filter((column) => column.fill !== undefined)
      .map((column) => `${table}.${column.name}`),
  );
}
