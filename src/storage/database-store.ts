import type { Kysely } from "kysely";
import type { Database } from "../db/database.js";
import type { Tables } from "../db/tables.js";
import { toIsoTimestamp } from "../db/column-codecs.js";
import { WriteBatch } from "../db/write-batch.js";
import { emptyStep, newRecord, type OnboardingRecord, type StepRecord } from "../onboarding/onboarding-record.js";
import { STEP_NUMBERS } from "../onboarding/step-catalogue.js";
import type { OnboardingStore, RecordChange } from "./onboarding-store.js";
import { createSessions, sessionTimes, stepFromRow, writeSessions, writeStepStates, type StepStateRow } from "./session-rows.js";
import { SessionSnapshots, type SessionSnapshot } from "./session-snapshots.js";
import type { StepPersistence } from "./step-persistence.js";

export interface UserChange {
  readonly userId: string;
  readonly change: RecordChange;
}

/** A record as loaded and as changed, inside one transaction. */
interface AppliedChange {
  readonly sessionId: number;
  readonly current: OnboardingRecord;
  readonly next: OnboardingRecord;
}

/**
 * The database as the one store: every change is one transaction across every table it
 * touches. A single save and a bulk import share one path: a batch of users is loaded, changed
 * and written with a few statements per table, a single save being a batch of one.
 */
export class DatabaseStore implements OnboardingStore {
  readonly mode = "database" as const;
  readonly #database: Database;
  readonly #steps: readonly StepPersistence[];
  readonly #snapshots: SessionSnapshots;

  constructor(database: Database, steps: readonly StepPersistence[]) {
    this.#database = database;
    this.#steps = steps;
    this.#snapshots = new SessionSnapshots(database.dialect);
  }

  async read(userId: string): Promise<OnboardingRecord | null> {
    return (await this.readMany([userId])).get(userId) ?? null;
  }

  /** The records of those users who have one; one statement, so each record is one consistent snapshot. */
  async readMany(userIds: readonly string[]): Promise<Map<string, OnboardingRecord>> {
    const snapshots = await this.#database.withoutTransaction((db) => this.#snapshots.read(db, userIds, { lock: false }));
    return new Map(snapshots.map((snapshot) => [snapshot.session.user_id, this.#recordOf(snapshot)]));
  }

  async update(userId: string, change: RecordChange): Promise<OnboardingRecord> {
    return (await this.updateMany([{ userId, change }]))[0]!;
  }

  /**
   * Several users' changes in one transaction: a bulk import pays for one commit and a few
   * statements per table, not thousands. Any change that throws aborts them all. A user named
   * twice has the second change applied to the result of the first.
   */
  async updateMany(changes: readonly UserChange[]): Promise<OnboardingRecord[]> {
    return this.#database.writeTransaction(async (trx) => {
      const records: OnboardingRecord[] = [];
      for (const round of distinctUserRounds(changes)) records.push(...(await this.#applyMany(trx, round)));
      return records;
    });
  }

  /** Nothing follows a commit here. */
  settled(): Promise<void> {
    return Promise.resolve();
  }

  async erase(userId: string): Promise<boolean> {
    const result = await this.#database.writeTransaction((trx) => trx.deleteFrom("onboarding_sessions").where("user_id", "=", userId).executeTakeFirst());
    return result.numDeletedRows > 0n;
  }

  /**
   * Locks the users' sessions and reads them with all their rows (SessionSnapshots), creates the
   * missing ones, applies the changes, and writes what changed in one batch: on PostgreSQL a save
   * is three statements inside its transaction (lock, read, write), a first save too (lock, insert, write).
   */
  async #applyMany(trx: Kysely<Tables>, changes: readonly UserChange[]): Promise<OnboardingRecord[]> {
    const now = new Date().toISOString();
    const userIds = changes.map(({ userId }) => userId);
    const current = new Map<string, { sessionId: number; record: OnboardingRecord }>();
    const remember = (snapshots: readonly SessionSnapshot[]) => {
      for (const snapshot of snapshots) current.set(snapshot.session.user_id, { sessionId: snapshot.session.id, record: this.#recordOf(snapshot) });
    };
    remember(await this.#snapshots.read(trx, userIds, { lock: true }));
    const missing = userIds.filter((userId) => !current.has(userId));
    for (const session of await createSessions(trx, missing, now)) {
      current.set(session.user_id, { sessionId: session.id, record: newRecord(session.user_id, toIsoTimestamp(session.started_at)) });
    }
    // Created by a concurrent transaction between our read and our insert: read them now, locked.
    remember(await this.#snapshots.read(trx, missing.filter((userId) => !current.has(userId)), { lock: true }));
    const applied: AppliedChange[] = changes.map(({ userId, change }) => {
      const { sessionId, record } = current.get(userId)!;
      return { sessionId, current: record, next: change(record, now) };
    });
    await this.#persistMany(trx, applied, now);
    return applied.map(({ next }) => next);
  }

  #recordOf({ session, rows }: SessionSnapshot): OnboardingRecord {
    const states = rows.step_states as readonly StepStateRow[];
    const steps: StepRecord[] = STEP_NUMBERS.map((stepNumber) => {
      const persistence = this.#steps.find((step) => step.stepNumber === stepNumber);
      const own = persistence === undefined ? [] : rows[persistence.table.table];
      const stored = own.length === 0 ? undefined : persistence?.table.fromRows(own);
      const base = { ...emptyStep(stepNumber), data: stored?.data ?? null, updatedAt: stored?.updatedAt ?? null };
      return stepFromRow(states.find((row) => row.step_number === stepNumber), base);
    });
    return { userId: session.user_id, ...sessionTimes(session), steps };
  }

  /** Writes only what changed: a step's table when its data object was replaced, its state when any field moved. */
  async #persistMany(trx: Kysely<Tables>, applied: readonly AppliedChange[], now: string): Promise<void> {
    const batch = new WriteBatch(trx, this.#database.dialect);
    for (const persistence of this.#steps) {
      const writes = applied.flatMap(({ sessionId, current, next }) => {
        const data = next.steps[persistence.stepNumber - 1]?.data ?? null;
        const before = current.steps[persistence.stepNumber - 1]?.data ?? null;
        return data === before ? [] : [{ sessionId, data, context: { userId: next.userId, now } }];
      });
      if (writes.length > 0) persistence.table.writeMany(batch, writes);
    }
    const states = applied.flatMap(({ sessionId, current, next }) =>
      next.steps.filter((step) => stateChanged(current.steps[step.stepNumber - 1], step)).map((step) => ({ sessionId, step })),
    );
    writeStepStates(batch, states, now);
    writeSessions(batch, applied.map(({ sessionId, next }) => ({ sessionId, record: next })));
    await batch.flush();
  }
}

function stateChanged(before: StepRecord | undefined, after: StepRecord): boolean {
  return (
    before === undefined ||
    before.status !== after.status ||
    before.completedAt !== after.completedAt ||
    JSON.stringify(before.validationErrors) !== JSON.stringify(after.validationErrors)
  );
}

/** Consecutive runs of changes in which no user appears twice: each run is one bulk write. */
function distinctUserRounds(changes: readonly UserChange[]): UserChange[][] {
  const rounds: UserChange[][] = [];
  let users = new Set<string>();
  for (const change of changes) {
    if (rounds.length === 0 || users.has(change.userId)) {
      rounds.push([]);
      users = new Set();
    }
    users.add(change.userId);
    rounds.at(-1)!.push(change);
  }
  return rounds;
}
