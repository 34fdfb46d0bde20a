import type { StorageMode } from "../config/config.js";
import type { OnboardingRecord } from "../onboarding/onboarding-record.js";

/**
 * Computes the next record from the current one. It runs inside the store's transaction (or
 * file lock), so it must be pure: throwing aborts the change and nothing is written.
 */
export type RecordChange = (current: OnboardingRecord, now: string) => OnboardingRecord;

/**
 * Where onboarding records live. Step code talks only to this; whether a file, a database or
 * both are behind it is decided once, at start (`create-onboarding-store.ts`).
 */
export interface OnboardingStore {
  readonly mode: StorageMode;
  /** The user's record, or null before their first write. */
  read(userId: string): Promise<OnboardingRecord | null>;
  /** Applies `change` atomically, creating the record on the user's first write. */
  update(userId: string, change: RecordChange): Promise<OnboardingRecord>;
  /** Deletes everything the user has; false when there was nothing. */
  erase(userId: string): Promise<boolean>;
  /**
   * Resolves once the work that follows the commits made so far is done (`dual` mode's file
   * copies): graceful shutdown waits for it, and so do tests that look at the files.
   */
  settled(): Promise<void>;
}
