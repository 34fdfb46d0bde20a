import type { StorageMode } from "../config/config.js";
import type { SessionChildTable } from "../db/session-child-tables.js";
import type { WriteBatch } from "../db/write-batch.js";
import type { JsonObject } from "../onboarding/onboarding-record.js";
import type { DataStepNumber } from "../onboarding/step-catalogue.js";
import type { ChildRow } from "./session-snapshots.js";

/**
 * What a wizard step tells storage about its data. Each step folder implements this; the
 * stores call it without knowing which step they hold.
 */
export interface StepPersistence {
  readonly stepNumber: DataStepNumber;
  readonly table: StepTable;
  /** How the data looks in a progress file; absent means "as it is". */
  readonly file?: StepFileCodec;
}

export interface StepContext {
  readonly userId: string;
  readonly now: string;
}

/** One session's new data for a step: null deletes what it had. */
export interface StepWrite {
  readonly sessionId: number;
  readonly data: JsonObject | null;
  readonly context: StepContext;
}

/**
 * A step's table. Writes take many sessions at once so that a bulk import writes a batch of
 * users with a few statements; a single save from the API is a batch of one, through the very
 * same code. Reads get the rows the store read for a session in its one snapshot statement.
 */
export interface StepTable {
  /** Where the step's rows live (one of the session's child tables). */
  readonly table: SessionChildTable;
  /** Adds to `batch` what replaces each session's rows for the step with its data. Each session appears at most once. */
  writeMany(batch: WriteBatch, writes: readonly StepWrite[]): void;
  /** The step's data from one session's rows of `table` (at least one row). */
  fromRows(rows: readonly ChildRow[]): StoredStepData;
}

export interface StoredStepData {
  readonly data: JsonObject;
  readonly updatedAt: string;
}

export type FileStorageMode = Exclude<StorageMode, "database">;

export interface StepFileCodec {
  /** In `dual` the file is a rollback copy and holds no secret at all; in `file` it is the only store. */
  toFile(data: JsonObject, mode: FileStorageMode, context: StepContext): JsonObject;
  /** Reads a file's data (ours or the old platform's); null when nothing usable remains. */
  fromFile(data: JsonObject, context: StepContext): JsonObject | null;
}
