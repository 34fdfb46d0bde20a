import type { Logger } from "pino";
import type { OnboardingRecord } from "../onboarding/onboarding-record.js";
import type { ProgressFiles } from "./progress-files.js";
import type { StorageMetrics } from "./storage-metrics.js";

/** What a user's file should become: the record's copy, or gone (erasure). */
type Wanted = { readonly record: OnboardingRecord } | { readonly removed: true };

/**
 * `dual` mode's progress files, kept up to date off the request's path (decision 0015): a save
 * answers once the database committed, and its file follows. One write at a time per FILE NAME,
 * not per user id: two ids that sanitise to one name (`user.a`, `user_a`) share one writer, so
 * the ownership check and the write of one never interleave with the other's (decision 0019).
 * Per user only the newest wanted state is written: saves that arrive while one is written
 * coalesce into one more write. A file that cannot be written, or that belongs to another id,
 * is logged and counted (reconcile --fix repairs the first; the second is a name collision).
 */
export class ProgressFileMirror {
  readonly #files: ProgressFiles;
  readonly #logger: Pick<Logger, "warn">;
  readonly #metrics: StorageMetrics;
  /** Per file name, the next state of each user whose copy is behind; present while a writer runs for that name. */
  readonly #wanted = new Map<string, Map<string, Wanted>>();
  readonly #writers = new Map<string, Promise<void>>();

  constructor(files: ProgressFiles, logger: Pick<Logger, "warn">, metrics: StorageMetrics) {
    this.#files = files;
    this.#logger = logger;
    this.#metrics = metrics;
  }

  /** The committed record's copy will be written; an older record never replaces a newer one still waiting. */
  copy(record: OnboardingRecord): void {
    const waiting = this.#wanted.get(this.#files.pathOf(record.userId))?.get(record.userId);
    if (waiting !== undefined && "record" in waiting && waiting.record.updatedAt > record.updatedAt) return;
    this.#want(record.userId, { record });
  }

  /** The user's file goes, once what is being written to that file name is done. */
  remove(userId: string): Promise<void> {
    this.#want(userId, { removed: true });
    return this.#writers.get(this.#files.pathOf(userId)) ?? Promise.resolve();
  }

  /** Resolves when every copy asked for so far is written (or has failed and been counted). */
  async settled(): Promise<void> {
    while (this.#writers.size > 0) await Promise.all(this.#writers.values());
  }

  #want(userId: string, wanted: Wanted): void {
    const path = this.#files.pathOf(userId);
    const users = this.#wanted.get(path) ?? new Map<string, Wanted>();
    users.set(userId, wanted);
    this.#wanted.set(path, users);
    if (!this.#writers.has(path)) this.#writers.set(path, this.#writeUntilCurrent(path, users));
  }

  async #writeUntilCurrent(path: string, users: Map<string, Wanted>): Promise<void> {
    // Let the request that asked answer first: the file work starts on a later turn of the loop.
    await new Promise<void>((resolve) => setImmediate(resolve));
    // Users in the order their first wanted state arrived: the first to ask is the first to own.
    for (let next = users.entries().next(); !next.done; next = users.entries().next()) {
      const [userId, wanted] = next.value;
      users.delete(userId);
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
    this.#wanted.delete(path);
    this.#writers.delete(path);
  }
}
