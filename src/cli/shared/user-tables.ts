/** Every table that holds a user's data: the session and the child rows that cascade from it. */
export const CHILD_TABLES = [
  "step_states",
  "api_keys",
  "website_analyses",
  "research_preferences",
  "persona_data",
  "platform_integrations",
] as const;
export type ChildTable = (typeof CHILD_TABLES)[number];

export const USER_TABLES = ["onboarding_sessions", ...CHILD_TABLES] as const;
export type UserTable = (typeof USER_TABLES)[number];
