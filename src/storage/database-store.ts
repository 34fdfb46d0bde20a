import type { Kysely } from "kysely";
import { bySession, selectSessionRows } from "../db/bulk-rows.js";
import type { Database } from "../db/database.js";
import type { Tables } from "../db/tables.js";
import { toIsoTimestamp } from "../db/column-codecs.js";
import { emptyStep, newRecord, type OnboardingRecord, type StepRecord } from "../onboarding/onboarding-record.js";
import { STEP_NUMBERS } from "../onboarding/step-catalogue.js";
import type { OnboardingStore, RecordChange } from "./onboarding-store.js";
import { findSessions, lockOrCreateSessions, sessionTimes, stepFromRow, writeSessions, writeStepStates, type SessionRow } from "./session-rows.js";
import type { StepPersistence, StoredStepData } from "./step-persistence.js";

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

  constructor(database: Database, steps: readonly StepPersistence[]) {
    this.#database = database;
    this.#steps = steps;
  }

  async read(userId: string): Promise<OnboardingRecord | null> {
    return (await this.readMany([userId])).get(userId) ?? null;
  }

  /** The records of those users who have one, from one consistent snapshot. */
  async readMany(userIds: readonly string[]): Promise<Map<string, OnboardingRecord>> {
    if (userIds.length === 0) return new Map();
    return this.#database.readTransaction(async (trx) => {
      const records = await this.#loadMany(trx, await findSessions(trx, userIds));
      return new Map([...records.values()].map((record) => [record.userId, record]));
    });
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

  async erase(userId: string): Promise<boolean> {
    const result = await this.#database.writeTransaction((trx) => trx.deleteFrom("onboarding_sessions").where("user_id", "=", userId).executeTakeFirst());
    return result.numDeletedRows > 0n;
  }

  async #applyMany(trx: Kysely<Tables>, changes: readonly UserChange[]): Promise<OnboardingRecord[]> {
    const now = new Date().toISOString();
    const locked = await lockOrCreateSessions(trx, this.#database.dialect, changes.map(({ userId }) => userId), now);
    const sessionOf = (userId: string) => locked.get(userId)!.session;
    const existing = await this.#loadMany(
      trx,
      [...locked.values()].filter(({ created }) => !created).map(({ session }) => session),
    );
    const applied: AppliedChange[] = changes.map(({ userId, change }) => {
      const session = sessionOf(userId);
      const current = existing.get(session.id) ?? newRecord(userId, toIsoTimestamp(session.started_at));
      return { sessionId: session.id, current, next: change(current, now) };
    });
    await this.#persistMany(trx, applied, now);
    return applied.map(({ next }) => next);
  }

  /** The sessions' records by session id: one query per table, whatever the number of sessions. */
  async #loadMany(trx: Kysely<Tables>, sessions: readonly SessionRow[]): Promise<Map<number, OnboardingRecord>> {
    if (sessions.length === 0) return new Map();
    const now = new Date().toISOString();
    const reads = sessions.map((session) => ({ sessionId: session.id, context: { userId: session.user_id, now } }));
    const states = bySession(await selectSessionRows(trx, "step_states", reads.map(({ sessionId }) => sessionId)));
    const stored = new Map<number, Map<number, StoredStepData>>();
    for (const persistence of this.#steps) stored.set(persistence.stepNumber, await persistence.table.readMany(trx, reads));
    const records = new Map<number, OnboardingRecord>();
    for (const session of sessions) {
      const steps: StepRecord[] = STEP_NUMBERS.map((stepNumber) => {
        const data = stored.get(stepNumber)?.get(session.id);
        const base = { ...emptyStep(stepNumber), data: data?.data ?? null, updatedAt: data?.updatedAt ?? null };
        return stepFromRow(states.get(session.id)?.find((row) => row.step_number === stepNumber), base);
      });
      records.set(session.id, { userId: session.user_id, ...sessionTimes(session), steps });
    }
    return records;
  }

  /** Writes only what changed: a step's table when its data object was replaced, its state when any field moved. */
  async #persistMany(trx: Kysely<Tables>, applied: readonly AppliedChange[], now: string): Promise<void> {
    for (const persistence of this.#steps) {
      const writes = applied.flatMap(({ sessionId, current, next }) => {
        const data = next.steps[persistence.stepNumber - 1]?.data ?? null;
        const before = current.steps[persistence.stepNumber - 1]?.data ?? null;
        return data === before ? [] : [{ sessionId, data, context: { userId: next.userId, now } }];
      });
      if (writes.length > 0) await persistence.table.writeMany(trx, writes);
    }
    const states = applied.flatMap(({ sessionId, current, next }) =>
      next.steps.filter((step) => stateChanged(current.steps[step.stepNumber - 1], step)).map((step) => ({ sessionId, step })),
    );
    await writeStepStates(trx, states, now);
    await writeSessions(trx, applied.map(({ sessionId, next }) => ({ sessionId, record: next })));
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
