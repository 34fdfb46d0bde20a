import { newRecord, type OnboardingRecord } from "../onboarding/onboarding-record.js";
import { KeyedMutex } from "./keyed-mutex.js";
import type { OnboardingStore, RecordChange } from "./onboarding-store.js";
import type { ProgressFiles } from "./progress-files.js";

/**
 * The legacy phase: the progress file is the only store. Changes of one user are serialised in
 * this process; like the old platform, it supports one app process per folder of files.
 */
export class FileStore implements OnboardingStore {
  readonly mode = "file" as const;
  readonly #files: ProgressFiles;
  readonly #locks = new KeyedMutex();

  constructor(files: ProgressFiles) {
    this.#files = files;
  }

  async read(userId: string): Promise<OnboardingRecord | null> {
    return (await this.#files.read(userId))?.record ?? null;
  }

  async update(userId: string, change: RecordChange): Promise<OnboardingRecord> {
    return this.#locks.run(this.#files.pathOf(userId), async () => {
      const now = new Date().toISOString();
      const current = (await this.#files.read(userId))?.record ?? newRecord(userId, now);
      const next = change(current, now);
      await this.#files.write(next);
      return next;
    });
  }

  /** Nothing follows a commit here. */
  settled(): Promise<void> {
    return Promise.resolve();
  }

  async erase(userId: string): Promise<boolean> {
    return this.#locks.run(this.#files.pathOf(userId), () => this.#files.remove(userId));
  }
}
