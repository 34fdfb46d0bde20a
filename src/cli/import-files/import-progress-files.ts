import type { SecretCipher } from "../../crypto/secret-cipher.js";
import { inChunks } from "../../db/bulk-rows.js";
import type { Database } from "../../db/database.js";
import { newRecord, type OnboardingRecord } from "../../onboarding/onboarding-record.js";
import { DatabaseStore } from "../../storage/database-store.js";
import type { RecordChange } from "../../storage/onboarding-store.js";
import type { StepPersistence } from "../../storage/step-persistence.js";
import { summarise, type FileOutcome, type FileOutcomeKind, type ImportReport } from "./import-report.js";
import { mergeImportedRecord, type MergeOutcome } from "./merge-imported-record.js";
import { listProgressFiles, type ProgressFileEntry } from "./progress-file-listing.js";
import { readTextsAhead } from "./read-texts-ahead.js";
import { readProgressFile, type ReadProgressFile } from "./read-progress-file.js";
import { stepDataComparer } from "./step-data-equivalence.js";

export const DEFAULT_BATCH_SIZE = 500;

export interface ImportOptions {
  readonly database: Database;
  readonly steps: readonly StepPersistence[];
  readonly cipher: SecretCipher;
  readonly dir: string;
  readonly dryRun?: boolean;
  /** Files per transaction: one commit per batch instead of one per file. */
  readonly batchSize?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

/** Backfills every progress file of `options.dir` into the database through the API's own store. */
export async function importProgressFiles(options: ImportOptions): Promise<ImportReport> {
  const entries = await listProgressFiles(options.dir);
  const importer = new ProgressFileImporter(options);
  const batches = inChunks(entries, options.batchSize ?? DEFAULT_BATCH_SIZE);
  const files: FileOutcome[] = [];
  let index = 0;
  // The next batches are read while this one is decoded and written: the disk and the database work side by side.
  for await (const texts of readTextsAhead(batches.map((batch) => batch.map((entry) => entry.path)))) {
    const batch = batches[index++]!;
    const read = batch.map((entry, i) => readProgressFile(entry, texts[i]!, options.steps));
    for (const outcome of await importer.importBatch(batch, read)) files.push(outcome);
    options.onProgress?.(files.length, entries.length);
  }
  return { dir: options.dir, dry_run: options.dryRun === true, summary: summarise(files), files };
}

type ReadableFile = Extract<ReadProgressFile, { kind: "readable" }>;

interface PendingFile {
  readonly index: number;
  readonly entry: ProgressFileEntry;
  readonly file: ReadableFile;
  /** The database's record before the import; null when the user has no session yet. */
  readonly current: OnboardingRecord | null;
}

class ProgressFileImporter {
  readonly #options: ImportOptions;
  readonly #store: DatabaseStore;

  constructor(options: ImportOptions) {
    this.#options = options;
    this.#store = new DatabaseStore(options.database, options.steps);
  }

  async importBatch(entries: readonly ProgressFileEntry[], read: readonly ReadProgressFile[]): Promise<FileOutcome[]> {
    const outcomes: (FileOutcome | undefined)[] = read.map((file, index) =>
      file.kind === "readable" ? undefined : skippedOutcome(entries[index]!, file),
    );
    const pending = await this.#withCurrentRecords(entries, read);
    const toWrite: PendingFile[] = [];
    for (const file of pending) {
      // Compared before writing: a file that changes nothing costs no transaction at all.
      const merge = this.#merge(file, file.current ?? newRecord(file.file.userId, new Date().toISOString()));
      if (!merge.changed) outcomes[file.index] = readableOutcome(file, merge, "unchanged");
      else if (this.#options.dryRun === true) outcomes[file.index] = readableOutcome(file, merge, "imported");
      else toWrite.push(file);
    }
    if (toWrite.length > 0) await this.#write(toWrite, outcomes);
    return outcomes as FileOutcome[];
  }

  /** One read per table for the batch: most users of a first import have no session at all. */
  async #withCurrentRecords(entries: readonly ProgressFileEntry[], read: readonly ReadProgressFile[]): Promise<PendingFile[]> {
    const readable = read.flatMap((file, index) => (file.kind === "readable" ? [{ index, entry: entries[index]!, file }] : []));
    const current = await this.#store.readMany(readable.map(({ file }) => file.userId));
    return readable.map((pending) => ({ ...pending, current: current.get(pending.file.userId) ?? null }));
  }

  /** One transaction for the batch; when it fails, each file gets its own so one bad file loses no other. */
  async #write(pending: readonly PendingFile[], outcomes: (FileOutcome | undefined)[]): Promise<void> {
    const merges = new Map<number, MergeOutcome>();
    try {
      await this.#store.updateMany(pending.map((file) => ({ userId: file.file.userId, change: this.#change(file, merges) })));
    } catch {
      merges.clear();
      for (const file of pending) {
        try {
          await this.#store.update(file.file.userId, this.#change(file, merges));
        } catch (error) {
          outcomes[file.index] = failedOutcome(file, error);
        }
      }
    }
    for (const file of pending) {
      const merge = merges.get(file.index);
      if (outcomes[file.index] === undefined && merge !== undefined) {
        outcomes[file.index] = readableOutcome(file, merge, merge.changed ? "imported" : "unchanged");
      }
    }
  }

  /** Merged again inside the transaction: the record may have moved since it was compared. */
  #change(file: PendingFile, merges: Map<number, MergeOutcome>): RecordChange {
    return (current) => {
      const merge = this.#merge(file, current);
      merges.set(file.index, merge);
      return merge.record;
    };
  }

  #merge(file: PendingFile, current: OnboardingRecord): MergeOutcome {
    return mergeImportedRecord({
      current,
      file: file.file.decoded.record,
      maskedProviders: file.file.maskedProviders,
      sameData: stepDataComparer(this.#options.cipher, file.file.userId),
    });
  }
}

function readableOutcome(file: PendingFile, merge: MergeOutcome, outcome: FileOutcomeKind): FileOutcome {
  return {
    file: file.entry.name,
    user_id: file.file.userId,
    user_id_source: file.file.userIdSource,
    outcome,
    new_session: file.current === null && merge.changed,
    steps_from_file: merge.stepsFromFile,
    database_newer: merge.databaseNewer,
    repairs: file.file.decoded.repairs,
    keys_not_imported: merge.keysNotImported,
    reason: null,
  };
}

function failedOutcome(file: PendingFile, error: unknown): FileOutcome {
  return {
    file: file.entry.name,
    user_id: file.file.userId,
    user_id_source: file.file.userIdSource,
    outcome: "failed",
    new_session: false,
    steps_from_file: [],
    database_newer: [],
    repairs: file.file.decoded.repairs,
    keys_not_imported: [],
    reason: `the database refused it: ${error instanceof Error ? error.message : String(error)}`,
  };
}

function skippedOutcome(entry: ProgressFileEntry, file: Exclude<ReadProgressFile, ReadableFile>): FileOutcome {
  return {
    file: entry.name,
    user_id: null,
    user_id_source: null,
    outcome: file.kind,
    new_session: false,
    steps_from_file: [],
    database_newer: [],
    repairs: [],
    keys_not_imported: [],
    reason: file.reason,
  };
}
