import type { Kysely } from "kysely";
import type { StorageMode } from "../config/config.js";
import type { Tables } from "../db/tables.js";
import type { JsonObject } from "../onboarding/onboarding-record.js";
import type { DataStepNumber } from "../onboarding/step-catalogue.js";

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

export interface StepRead {
  readonly sessionId: number;
  readonly context: StepContext;
}

/**
 * A step's table(s). Both methods take many sessions at once so that a bulk import writes a
 * batch of users with a few statements; a single save from the API is a batch of one, through
 * the very same code.
 */
export interface StepTable {
  /** Replaces each session's rows for the step with its data. Each session appears at most once. */
  writeMany(trx: Kysely<Tables>, writes: readonly StepWrite[]): Promise<void>;
  /** The step's data by session id; a session without rows is absent. */
  readMany(db: Kysely<Tables>, reads: readonly StepRead[]): Promise<Map<number, StoredStepData>>;
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
