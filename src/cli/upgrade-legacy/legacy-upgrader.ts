import type { Kysely } from "kysely";
import type { SecretCipher } from "../../crypto/secret-cipher.js";
import type { Database, SqlDialect } from "../../db/database.js";
import type { Tables } from "../../db/tables.js";
import type { TableColumns } from "./legacy/legacy-shape.js";
import type { Pause } from "./pause-point.js";
import type { SealingKey } from "./sqlite/sqlite-sealing-worker.js";

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

export interface SessionMerge {
  readonly userId: string;
  /** Every legacy session of the user, survivor first. */
  readonly sessions: readonly number[];
  readonly survivor: number;
}

export interface RebuildContext {
  readonly cipher: SecretCipher;
  /** ISO 8601 UTC: the time given to NOT NULL timestamps that the legacy row left empty. */
  readonly now: string;
  readonly backup: LegacyBackup;
  readonly pause: Pause;
  /** SQLite: the cipher's key bytes, so that a worker thread seals while the tables copy. */
  readonly sealingKey?: SealingKey;
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

/** Raw SQL only: the legacy tables are not in `Tables`. */
export type UpgradeExecutor = Kysely<Tables>;

/** One implementation per dialect; `upgradeLegacy` drives either the same way. */
export interface LegacyUpgrader {
  readonly dialect: SqlDialect;
  /** Used by the migrator, whose transaction wraps `rebuild`. */
  readonly database: Database;
  readTables(): Promise<TableColumns>;
  /** Copies every legacy table before anything changes; committed on its own. */
  backup(startedAt: Date): Promise<LegacyBackup>;
  /** Turns the legacy tables into migration 1's schema; runs inside the migrator's transaction. */
  rebuild(trx: UpgradeExecutor, context: RebuildContext): Promise<RebuildOutcome>;
  /** After the rebuild committed and before later migrations run. */
  afterRebuild(): Promise<void>;
  close(): Promise<void>;
}
