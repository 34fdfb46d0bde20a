import type { Kysely } from "kysely";
import { fromJsonColumn, fromNullableJsonColumn, toIsoTimestamp, toJsonColumn } from "../db/column-codecs.js";
import type { Database } from "../db/database.js";
import type { Tables } from "../db/tables.js";
import { OUTCOME_KEPT_MS, type Admission, type ExpensiveKind, type RunOutcome, type RunState, type SharedWorkState } from "./shared-work-state.js";

/**
 * The limits in the database that every instance already shares (migration 3). A start is counted
 * in one transaction that locks the user's row (SQLite's write transactions are serialised
 * anyway), so two instances never both admit the tenth start: 4 round trips. A run is taken with
 * one `insert … on conflict do update … where` that only succeeds when nobody live holds it.
 */
export class DatabaseWorkState implements SharedWorkState {
  readonly #database: Database;
  #purgedAt = 0;

  constructor(database: Database) {
    this.#database = database;
  }

  async admit(userId: string, limit: number, windowMs: number, now: number): Promise<Admission> {
    await this.#purgeNowAndThen(now, windowMs);
    const at = iso(now);
    return this.#database.writeTransaction(async (trx) => {
      // The upsert locks the user's row (PostgreSQL) until the transaction ends: concurrent starts queue here.
      const row = await trx
        .insertInto("expensive_work_limits")
        .values({ user_id: userId, starts: toJsonColumn([]), updated_at: at })
        .onConflict((c) => c.column("user_id").doUpdateSet({ updated_at: at }))
        .returning("starts")
        .executeTakeFirstOrThrow();
      const recent = fromJsonColumn<number[]>(row.starts).filter((start) => start > now - windowMs);
      if (recent.length >= limit) return { admitted: false, retryAfterMs: recent[0]! + windowMs - now };
      await trx.updateTable("expensive_work_limits").set({ starts: toJsonColumn([...recent, now]) }).where("user_id", "=", userId).execute();
      return { admitted: true };
    });
  }

  async acquire(userId: string, kind: ExpensiveKind, runId: string, now: number, leaseMs: number): Promise<boolean> {
    const taken = await this.#kysely
      .insertInto("expensive_work_runs")
      .values({ user_id: userId, kind, run_id: runId, status: "running", outcome: null, updated_at: iso(now) })
      .onConflict((conflict) =>
        conflict
          .columns(["user_id", "kind"])
          .doUpdateSet({ run_id: runId, status: "running", outcome: null, updated_at: iso(now) })
          .where((eb) => eb.or([eb("expensive_work_runs.status", "=", "finished"), eb("expensive_work_runs.updated_at", "<", iso(now - leaseMs))])),
      )
      .returning("run_id")
      .executeTakeFirst();
    return taken !== undefined;
  }

  async renew(userId: string, kind: ExpensiveKind, runId: string, now: number): Promise<void> {
    await this.#kysely
      .updateTable("expensive_work_runs")
      .set({ updated_at: iso(now) })
      .where("user_id", "=", userId)
      .where("kind", "=", kind)
      .where("run_id", "=", runId)
      .where("status", "=", "running")
      .execute();
  }

  async finish(userId: string, kind: ExpensiveKind, runId: string, outcome: RunOutcome, now: number): Promise<void> {
    await this.#kysely
      .updateTable("expensive_work_runs")
      .set({ status: "finished", outcome: toJsonColumn(outcome), updated_at: iso(now) })
      .where("user_id", "=", userId)
      .where("kind", "=", kind)
      .where("run_id", "=", runId)
      .execute();
  }

  async read(userId: string, kind: ExpensiveKind, now: number, leaseMs: number): Promise<RunState | null> {
    const row = await this.#kysely.selectFrom("expensive_work_runs").selectAll().where("user_id", "=", userId).where("kind", "=", kind).executeTakeFirst();
    if (row === undefined) return null;
    if (row.status === "running") return Date.parse(toIsoTimestamp(row.updated_at)) < now - leaseMs ? null : { runId: row.run_id, running: true };
    const outcome = fromNullableJsonColumn<RunOutcome>(row.outcome);
    return outcome === null ? null : { runId: row.run_id, running: false, outcome };
  }

  eraseRuns(userId: string): Promise<number> {
    return deleteWorkRuns(this.#kysely, userId);
  }

  async close(): Promise<void> {
    // The database is the app's; whoever opened it closes it.
  }

  /**
   * At most once a minute per process: rows of users whose window is over, and outcomes kept
   * their minute, go (a user who comes back later simply starts afresh).
   */
  async #purgeNowAndThen(now: number, windowMs: number): Promise<void> {
    if (now - this.#purgedAt < PURGE_EVERY_MS) return;
    this.#purgedAt = now;
    await this.#kysely.deleteFrom("expensive_work_limits").where("updated_at", "<", iso(now - windowMs)).execute();
    await this.#kysely.deleteFrom("expensive_work_runs").where("status", "=", "finished").where("updated_at", "<", iso(now - OUTCOME_KEPT_MS)).execute();
  }

  get #kysely(): Kysely<Tables> {
    return this.#database.kysely;
  }
}

const PURGE_EVERY_MS = 60_000;

/** Deletes the user's runs (their outcomes hold the user's data) with `db` (a transaction of the caller's, e.g. delete-user's). */
export async function deleteWorkRuns(db: Kysely<Tables>, userId: string): Promise<number> {
  const result = await db.deleteFrom("expensive_work_runs").where("user_id", "=", userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

function iso(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
