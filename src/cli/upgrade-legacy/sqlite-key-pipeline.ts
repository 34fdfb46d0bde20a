import type SqliteDatabase from "better-sqlite3";
import type { UpgradeExecutor } from "./legacy-upgrader.js";
import { CHILD_PLANS } from "./legacy-table-plan.js";
import { BEFORE_FIRST_ID, type SealedBatch, type SealedKeySource } from "./sealed-key-source.js";
import { execute, quoted } from "./raw-sql.js";
import { MERGE_TABLE } from "./shared-rebuild-steps.js";
import { childInsertSql, copyNewestOnly, isUniqueViolation, type ChildCopy, type ChildCopyOptions } from "./sqlite-child-copy.js";
import { fresh } from "./sqlite-column-sql.js";

const SEALED_KEY_FUNCTION = "upgrade_sealed_key";
const ORPHAN = Symbol("orphan");
/** Never a sealed key (those are base64 of at least 28 bytes); the foreign key check removes these rows. */
const ORPHAN_CIPHERTEXT = "";
const SEALED_LAST4_FUNCTION = "upgrade_sealed_last4";

/**
 * Moves api_keys into ours from a SealedKeySource: each sealed batch goes in with one
 * INSERT … SELECT over its id range, whose key columns SQL functions look up in the batch; every
 * other column takes the same SQL as in copyChild. The caller calls pump() between chunks of the
 * other tables, so a worker source seals while this thread copies. Duplicates (our unique
 * constraint trips) fall back to the newest-only copy, which seals on this thread.
 *
 * As in copyChild, rows are not looked up in the sessions one by one: a source seals only the
 * keys whose session exists, and a row of the range that is not in the batch (an orphan) goes in
 * with an empty ciphertext for the final foreign key check to remove. `orphansInserted` says how
 * many; the rebuild checks that the foreign key check removed exactly that many keys.
 */
export class SqliteKeyPipeline {
  readonly #db: UpgradeExecutor;
  readonly #source: SealedKeySource;
  readonly #options: ChildCopyOptions;
  readonly #legacyRows: number;
  readonly #snapshot: ReturnType<ChildCopyOptions["functions"]["tallies"]>;
  readonly #connection: SqliteDatabase.Database;
  #insertBatch: SqliteDatabase.Statement<[number, number]>;
  /** The last id of the last batch inserted: the next batch covers the ids after it. */
  #lastInserted = BEFORE_FIRST_ID;
  #kept = 0;
  #duplicates = false;
  #batch: SealedBatch | undefined;
  /** Where the last lookup found its id: the insert reads rows in id order, so usually the next one. */
  #cursor = 0;
  #orphansInBatch = 0;
  #orphansInserted = 0;

  constructor(db: UpgradeExecutor, source: SealedKeySource, options: ChildCopyOptions, legacyRows: number) {
    const connection = options.connection;
    this.#db = db;
    this.#source = source;
    this.#options = options;
    this.#legacyRows = legacyRows;
    this.#snapshot = options.functions.tallies();
    connection.function(SEALED_KEY_FUNCTION, { deterministic: false }, (id) => {
      const batch = this.#batchFor(id);
      if (batch === ORPHAN) {
        this.#orphansInBatch += 1;
        return ORPHAN_CIPHERTEXT;
      }
      return batch.ciphertext(this.#cursor);
    });
    connection.function(SEALED_LAST4_FUNCTION, { deterministic: false }, (id) => {
      const batch = this.#batchFor(id);
      return batch === ORPHAN ? "" : batch.last4(this.#cursor);
    });
    this.#connection = connection;
    // Keys start going in before the sessions are copied, under their own session; sessionsMerged()
    // moves them when merges turn up and switches to the statement that looks merges up.
    this.#insertBatch = this.#prepareInsert(false);
  }

  /** Inserts the batches that are sealed already; never waits. */
  async pump(): Promise<void> {
    for (let batch = await this.#take(false); batch; batch = await this.#take(false)) await this.#insert(batch);
  }

  /** Moves the keys inserted so far from merged-away sessions to their survivors, and the next ones with them. */
  async sessionsMerged(): Promise<void> {
    if (this.#duplicates) return;
    this.#insertBatch = this.#prepareInsert(true);
    try {
      await execute(
        this.#db,
        `update ${quoted(fresh("api_keys"))} set session_id = (select m.survivor_id from ${MERGE_TABLE} m where m.legacy_id = session_id)
         where session_id in (select legacy_id from ${MERGE_TABLE})`,
      );
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      this.#duplicates = true;
    }
  }

  /** Waits for and inserts every remaining batch, and reports the table as copyChild does. */
  async finish(): Promise<ChildCopy> {
    for (let batch = await this.#take(true); batch; batch = await this.#take(true)) await this.#insert(batch);
    if (this.#duplicates) {
      // The newest-only copy leaves orphans out altogether.
      this.#orphansInserted = 0;
      return copyNewestOnly(this.#db, CHILD_PLANS.api_keys, this.#legacyRows, this.#options, this.#snapshot);
    }
    return { kept: this.#kept, orphans: this.#legacyRows - this.#kept, superseded: 0 };
  }

  /** Rows inserted with an empty ciphertext because their session does not exist (see the class comment). */
  get orphansInserted(): number {
    return this.#orphansInserted;
  }

  async #take(wait: boolean): Promise<SealedBatch | null | undefined> {
    return this.#duplicates ? null : this.#source.next(wait);
  }

  async #insert(batch: SealedBatch): Promise<void> {
    const high = batch.ids.length > 0 ? Number(batch.ids[batch.ids.length - 1]) : this.#lastInserted;
    this.#batch = batch;
    this.#cursor = 0;
    this.#orphansInBatch = 0;
    try {
      const inserted = this.#insertBatch.run(this.#lastInserted, high).changes;
      // The source read the same live rows: any other count means the two disagree.
      if (inserted - this.#orphansInBatch !== batch.ids.length) {
        throw new Error(`inserted ${inserted - this.#orphansInBatch} keys of a sealed batch of ${batch.ids.length}`);
      }
      this.#kept += inserted;
      this.#orphansInserted += this.#orphansInBatch;
      this.#lastInserted = high;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      this.#duplicates = true;
    } finally {
      this.#batch = undefined;
    }
  }

  /** Prepared once (or twice): each statement holds native memory until the garbage collector finalizes it. */
  #prepareInsert(hasMerges: boolean): SqliteDatabase.Statement<[number, number]> {
    const sql = childInsertSql(CHILD_PLANS.api_keys, {
      now: this.#options.now,
      hasMerges,
      keyVersion: this.#source.keyVersion,
      keyValues: () => [`${SEALED_KEY_FUNCTION}(c.id)`, `${SEALED_LAST4_FUNCTION}(c.id)`],
      ranged: true,
      orphansToForeignKeyCheck: true,
    });
    return this.#connection.prepare<[number, number]>(sql);
  }

  /** The current batch, with the cursor on `id`; ORPHAN when the batch lacks `id` (its session does not exist). */
  #batchFor(value: unknown): SealedBatch | typeof ORPHAN {
    const batch = this.#batch;
    if (batch === undefined) throw new Error(`api_keys row ${String(value)} reached the insert outside a sealed batch`);
    const id = Number(value);
    if (batch.ids[this.#cursor] === id) return batch;
    const found = batch.ids[this.#cursor + 1] === id ? this.#cursor + 1 : position(batch.ids, id);
    if (found < 0) return ORPHAN;
    this.#cursor = found;
    return batch;
  }
}

/** Index of `id` in ascending `ids` (binary search), or -1. */
function position(ids: ArrayLike<number>, id: number): number {
  let low = 0;
  let high = ids.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const found = Number(ids[middle]);
    if (found === id) return middle;
    if (found < id) low = middle + 1;
    else high = middle - 1;
  }
  return -1;
}
