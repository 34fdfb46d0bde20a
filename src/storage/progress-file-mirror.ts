import type { Logger } from "pino";
import type { OnboardingRecord } from "../onboarding/onboarding-record.js";
import type { ProgressFiles } from "./progress-files.js";
import type { StorageMetrics } from "./storage-metrics.js";

/** What a user's file should become: the record's copy, or gone (erasure). */
type Wanted = { readonly record: OnboardingRecord } | { readonly removed: true };

/**
 * `dual` mode's progress files, kept up to date off the request's path (decision 0015): a save
 * answers once the database committed, and its file follows. Per user one write at a time, and
 * only the newest wanted state: saves that arrive while one is written coalesce into one more
 * write. A file that cannot be written is logged and counted (reconcile --fix repairs it).
 */
export class ProgressFileMirror {
  readonly #files: ProgressFiles;
  readonly #logger: Pick<Logger, "warn">;
  readonly #metrics: StorageMetrics;
  /** The next state of each user whose file is behind; present while a writer runs for that user. */
  readonly #wanted = new Map<string, Wanted | undefined>();
  readonly #writers = new Map<string, Promise<void>>();

  constructor(files: ProgressFiles, logger: Pick<Logger, "warn">, metrics: StorageMetrics) {
    this.#files = files;
    this.#logger = logger;
    this.#metrics = metrics;
  }

  /** The committed record's copy will be written; an older record never replaces a newer one still waiting. */
  copy(record: OnboardingRecord): void {
    const waiting = this.#wanted.get(record.userId);
    if (waiting !== undefined && "record" in waiting && waiting.record.updatedAt > record.updatedAt) return;
    this.#want(record.userId, { record });
  }

  /** The user's file goes, once what is being written for them is done. */
  remove(userId: string): Promise<void> {
    this.#want(userId, { removed: true });
    return this.#writers.get(userId) ?? Promise.resolve();
  }

  /** Resolves when every copy asked for so far is written (or has failed and been counted). */
  async settled(): Promise<void> {
    while (this.#writers.size > 0) await Promise.all(this.#writers.values());
  }

  #want(userId: string, wanted: Wanted): void {
    this.#wanted.set(userId, wanted);
    if (!this.#writers.has(userId)) this.#writers.set(userId, this.#writeUntilCurrent(userId));
  }

  async #writeUntilCurrent(userId: string): Promise<void> {
    // Let the request that asked answer first: the file work starts on a later turn of the loop.
    await new Promise<void>((resolve) => setImmediate(resolve));
    for (let wanted = this.#wanted.get(userId); wanted !== undefined; wanted = this.#wanted.get(userId)) {
      this.#wanted.set(userId, undefined);
      try {
        await ("record" in wanted ? this.#files.writeCopy(wanted.record) : this.#files.remove(userId));
      } catch (error) {
        this.#metrics.recordFileWriteFailure();
        this.#logger.warn(
          { user_id: userId, err: error instanceof Error ? { message: error.message, name: error.name } : error },
          "progress file not written; the database holds the data; run `reconcile --fix` to repair",
        );
      }
    }
    this.#wanted.delete(userId);
    this.#writers.delete(userId);
  }
}
