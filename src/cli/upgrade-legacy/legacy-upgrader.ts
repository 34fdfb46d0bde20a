import type { SecretCipher } from "../../crypto/secret-cipher.js";
import type { Database } from "../../db/database.js";
import type { TableColumns } from "./legacy/legacy-shape.js";
import type { Pause } from "./pause-point.js";
import type { UpgradeExecutor } from "./shared/raw-sql.js";

/**
 * What `upgradeLegacy` asks of a database, one call per phase of the operator's sequence. One
 * implementation per database: sqlite/sqlite-legacy-upgrader.ts, postgres/postgres-legacy-upgrader.ts.
 * The types below are what both sides share; this module imports neither.
 */
export interface LegacyUpgrader {
  /** Where the migrator runs; its transaction wraps `rebuild`. */
  readonly database: Database;
  /** Inspect: every table with its columns, for classifyShape. */
  readTables(): Promise<TableColumns>;
  /** Back up: copies every legacy table before anything changes; committed on its own. */
  backup(startedAt: Date): Promise<LegacyBackup>;
  /** Rebuild: turns the legacy tables into migration 1's schema, inside the migrator's transaction. */
  rebuild(trx: UpgradeExecutor, context: RebuildContext): Promise<RebuildOutcome>;
  /** After the rebuild committed, before the later migrations. */
  afterCommit(): Promise<void>;
  close(): Promise<void>;
}

/** Row counts keyed by table (or `table.column` for per-column tallies). */
export type Counts = Readonly<Record<string, number>>;

/** Where the untouched copy of the legacy data went. It holds the plaintext keys. */
export interface LegacyBackup {
  readonly kind: "sqlite-file" | "postgres-schema";
  /** The file path or the schema name. */
  readonly location: string;
  /** The exact command that removes the backup once the upgrade is verified. */
  readonly removeCommand: string;
  readonly rowCounts: Counts;
}

/** The raw bytes of the cipher's current key, which a worker thread needs to seal with it. */
export interface SealingKey {
  readonly key: Uint8Array;
  readonly version: number;
}

export interface RebuildContext {
  readonly cipher: SecretCipher;
  /** SQLite: the cipher's key bytes, so that a worker thread seals while the tables copy. */
  readonly sealingKey?: SealingKey;
  /** ISO 8601 UTC: the time given to NOT NULL timestamps that the legacy row left empty. */
  readonly now: string;
  readonly backup: LegacyBackup;
  readonly pause: Pause;
}

export interface SessionMerge {
  readonly userId: string;
  /** Every legacy session of the user, survivor first. */
  readonly sessions: readonly number[];
  readonly survivor: number;
}

export interface RebuildOutcome {
  readonly before: Counts;
  readonly after: Counts;
  readonly userIds: { readonly convertedFromIntegers: number; readonly keptAsText: number };
  readonly merges: readonly SessionMerge[];
  /** Child rows whose session_id is NULL or names no session: left out, kept in the backup. */
  readonly orphans: Counts;
  /** Older duplicates that lost to the newest row of the same session (and provider). */
  readonly superseded: Counts;
  readonly keysEncrypted: number;
  /** `table.column` → rows whose NULL became the column's fill value. */
  readonly filled: Counts;
  /** `table.column` → SQLite values that were not JSON, kept as a JSON string of their text. */
  readonly invalidJsonQuoted: Counts;
  /** `table.column` → non-null values in columns our schema lacks; they remain in the backup. */
  readonly droppedValues: Counts;
  readonly stepStatesCreated: number;
}
