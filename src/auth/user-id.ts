import { hasUnpairedSurrogate } from "../text/storable-text.js";

/** Postgres stores user ids as VARCHAR(255), which counts characters, not bytes. */
export const MAX_USER_ID_LENGTH = 255;

// Control characters would corrupt log lines and progress-file names, so no id may carry one.
const CONTROL_CHARACTER = /\p{Cc}/u;

/** Why `userId` cannot be a user id, or undefined when it can. Never echoes the id itself. */
export function userIdProblem(userId: string): string | undefined {
  const length = [...userId].length;
  if (length === 0) return "must not be empty";
  if (length > MAX_USER_ID_LENGTH) return `is ${length} characters long; at most ${MAX_USER_ID_LENGTH} are allowed`;
  const control = CONTROL_CHARACTER.exec(userId);
  if (control !== null) return `contains the control character ${codePointLabel(control[0])}`;
  // PostgreSQL stores an unpaired surrogate as U+FFFD, so `user_\uD800` and `user_\uDC00` would share one session.
  if (hasUnpairedSurrogate(userId)) return "contains an unpaired surrogate";
  return undefined;
}

export function isValidUserId(value: unknown): value is string {
  return typeof value === "string" && userIdProblem(value) === undefined;
}

function codePointLabel(character: string): string {
  const codePoint = character.codePointAt(0) ?? 0;
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, "0")}`;
}
