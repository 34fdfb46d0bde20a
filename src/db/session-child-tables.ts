import type { Tables } from "./tables.js";

/** The tables whose rows belong to one onboarding session: `session_id` → onboarding_sessions.id, ON DELETE CASCADE. */
export const SESSION_CHILD_TABLES = [
  "step_states",
  "api_keys",
  "website_analyses",
  "research_preferences",
  "persona_data",
  "platform_integrations",
] as const satisfies readonly (keyof Tables)[];

export type SessionChildTable = (typeof SESSION_CHILD_TABLES)[number];
