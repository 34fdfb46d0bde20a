import type { OnboardingRecord } from "../onboarding/onboarding-record.js";
import type { DatabaseStore } from "./database-store.js";
import type { OnboardingStore, RecordChange } from "./onboarding-store.js";
import type { ProgressFileMirror } from "./progress-file-mirror.js";

/**
 * The migration phase: the database is the commit point and the only source of reads; the
 * progress file follows as a rollback copy, written after the commit without holding up the
 * answer (decision 0015). A file that cannot be written never fails a save that the database has
 * committed: it is logged, counted, and repaired by `reconcile --fix`.
 */
export class DualStore implements OnboardingStore {
  readonly mode = "dual" as const;
  readonly #database: DatabaseStore;
  readonly #mirror: ProgressFileMirror;

  constructor(database: DatabaseStore, mirror: ProgressFileMirror) {
    this.#database = database;
    this.#mirror = mirror;
  }

  read(userId: string): Promise<OnboardingRecord | null> {
    return this.#database.read(userId);
  }

  async update(userId: string, change: RecordChange): Promise<OnboardingRecord> {
    const record = await this.#database.update(userId, change);
    this.#mirror.copy(record);
    return record;
  }

  /** Erasure waits for the file too: the answer says everything is gone. */
  async erase(userId: string): Promise<boolean> {
    const erased = await this.#database.erase(userId);
    await this.#mirror.remove(userId);
    return erased;
  }

  settled(): Promise<void> {
    return this.#mirror.settled();
  }
}
