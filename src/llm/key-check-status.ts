/** What a key check can say (SPEC §6); shared with the page, so this module imports nothing. */
export const KEY_CHECK_STATUSES = ["valid", "refused", "unreachable"] as const;
export type KeyCheckStatus = (typeof KEY_CHECK_STATUSES)[number];
