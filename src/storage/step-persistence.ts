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

export interface StepTable {
  /** Replaces the step's rows for the session with `data`; null deletes them. */
  write(trx: Kysely<Tables>, sessionId: number, data: JsonObject | null, context: StepContext): Promise<void>;
  /** The step's data for the session, or null when it has no rows. */
  read(db: Kysely<Tables>, sessionId: number, context: StepContext): Promise<StoredStepData | null>;
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
