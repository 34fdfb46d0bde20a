import { SESSION_CHILD_TABLES } from "../../db/session-child-tables.js";

/** Every table that holds a user's data: the session and the child rows that cascade from it. */
export const CHILD_TABLES = SESSION_CHILD_TABLES;
export type ChildTable = (typeof CHILD_TABLES)[number];

export const USER_TABLES = ["onboarding_sessions", ...CHILD_TABLES] as const;
export type UserTable = (typeof USER_TABLES)[number];
