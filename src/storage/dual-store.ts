import type { Logger } from "pino";
import type { OnboardingRecord } from "../onboarding/onboarding-record.js";
import type { DatabaseStore } from "./database-store.js";
import type { OnboardingStore, RecordChange } from "./onboarding-store.js";
import { KeyedMutex } from "./keyed-mutex.js";
import type { ProgressFiles } from "./progress-files.js";
import type { StorageMetrics } from "./storage-metrics.js";

/**
 * The migration phase: the database is the commit point and the only source of reads; the
 * progress file follows as a rollback copy. A file that cannot be written never fails a save
 * that the database has committed: it is logged, counted, and repaired by `reconcile --fix`.
 */
export class DualStore implements OnboardingStore {
  readonly mode = "dual" as const;
  readonly #database: DatabaseStore;
  readonly #files: ProgressFiles;
  readonly #logger: Pick<Logger, "warn">;
  readonly #metrics: StorageMetrics;
  readonly #locks = new KeyedMutex();

  constructor(database: DatabaseStore, files: ProgressFiles, logger: Pick<Logger, "warn">, metrics: StorageMetrics) {
    this.#database = database;
    this.#files = files;
    this.#logger = logger;
    this.#metrics = metrics;
  }

  read(userId: string): Promise<OnboardingRecord | null> {
    return this.#database.read(userId);
  }

  async update(userId: string, change: RecordChange): Promise<OnboardingRecord> {
    const record = await this.#database.update(userId, change);
    await this.#mirror(userId, () => this.#files.write(record, { skipIfNewer: true }));
    return record;
  }

  async erase(userId: string): Promise<boolean> {
    const erased = await this.#database.erase(userId);
    await this.#mirror(userId, () => this.#files.remove(userId));
    return erased;
  }

  async #mirror(userId: string, write: () => Promise<unknown>): Promise<void> {
    try {
      await this.#locks.run(userId, write);
    } catch (error) {
      this.#metrics.recordFileWriteFailure();
      this.#logger.warn(
        { user_id: userId, err: error instanceof Error ? { message: error.message, name: error.name } : error },
        "progress file not written; the database holds the data; run `reconcile --fix` to repair",
      );
    }
  }
}
