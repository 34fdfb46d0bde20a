import type { Kysely } from "kysely";
import type { Database } from "../db/database.js";
import type { Tables } from "../db/tables.js";
import { toIsoTimestamp } from "../db/column-codecs.js";
import { emptyStep, newRecord, type OnboardingRecord, type StepRecord } from "../onboarding/onboarding-record.js";
import { STEP_NUMBERS } from "../onboarding/step-catalogue.js";
import type { OnboardingStore, RecordChange } from "./onboarding-store.js";
import {
  findSession,
  lockOrCreateSession,
  readStepStates,
  sessionTimes,
  stepFromRow,
  writeSession,
  writeStepState,
  type SessionRow,
} from "./session-rows.js";
import type { StepPersistence } from "./step-persistence.js";

/** The database as the one store: every change is one transaction across every table it touches. */
export class DatabaseStore implements OnboardingStore {
  readonly mode = "database" as const;
  readonly #database: Database;
  readonly #steps: readonly StepPersistence[];

  constructor(database: Database, steps: readonly StepPersistence[]) {
    this.#database = database;
    this.#steps = steps;
  }

  async read(userId: string): Promise<OnboardingRecord | null> {
    return this.#database.readTransaction(async (trx) => {
      const session = await findSession(trx, userId);
      return session === undefined ? null : this.#load(trx, session);
    });
  }

  async update(userId: string, change: RecordChange): Promise<OnboardingRecord> {
    return this.#database.writeTransaction((trx) => this.#apply(trx, userId, change));
  }

  /** Several users' changes in one transaction: a bulk import pays for one commit, not thousands. */
  async updateMany(changes: readonly { userId: string; change: RecordChange }[]): Promise<OnboardingRecord[]> {
    return this.#database.writeTransaction(async (trx) => {
      const records: OnboardingRecord[] = [];
      for (const { userId, change } of changes) records.push(await this.#apply(trx, userId, change));
      return records;
    });
  }

  async #apply(trx: Kysely<Tables>, userId: string, change: RecordChange): Promise<OnboardingRecord> {
    const now = new Date().toISOString();
    const { session, created } = await lockOrCreateSession(trx, this.#database.dialect, userId, now);
    const current = created ? newRecord(userId, toIsoTimestamp(session.started_at)) : await this.#load(trx, session);
    const next = change(current, now);
    await this.#persist(trx, session.id, current, next, now);
    return next;
  }

  async erase(userId: string): Promise<boolean> {
    const result = await this.#database.kysely
      .deleteFrom("onboarding_sessions")
      .where("user_id", "=", userId)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async #load(trx: Kysely<Tables>, session: SessionRow): Promise<OnboardingRecord> {
    const context = { userId: session.user_id, now: new Date().toISOString() };
    const states = await readStepStates(trx, session.id);
    const steps: StepRecord[] = [];
    for (const stepNumber of STEP_NUMBERS) {
      const stored = await this.#persistenceOf(stepNumber)?.table.read(trx, session.id, context);
      const base = { ...emptyStep(stepNumber), data: stored?.data ?? null, updatedAt: stored?.updatedAt ?? null };
      steps.push(stepFromRow(states.find((row) => row.step_number === stepNumber), base));
    }
    return { userId: session.user_id, ...sessionTimes(session), steps };
  }

  /** Writes only what changed: a step's table when its data object was replaced, its state when any field moved. */
  async #persist(
    trx: Kysely<Tables>,
    sessionId: number,
    current: OnboardingRecord,
    next: OnboardingRecord,
    now: string,
  ): Promise<void> {
    const context = { userId: next.userId, now };
    for (const step of next.steps) {
      const before = current.steps[step.stepNumber - 1];
      if (step.data !== before?.data) {
        await this.#persistenceOf(step.stepNumber)?.table.write(trx, sessionId, step.data, context);
      }
      if (before === undefined || stateChanged(before, step)) await writeStepState(trx, sessionId, step, now);
    }
    await writeSession(trx, sessionId, next);
  }

  #persistenceOf(stepNumber: number): StepPersistence | undefined {
    return this.#steps.find((step) => step.stepNumber === stepNumber);
  }
}

function stateChanged(before: StepRecord, after: StepRecord): boolean {
  return (
    before.status !== after.status ||
    before.completedAt !== after.completedAt ||
    JSON.stringify(before.validationErrors) !== JSON.stringify(after.validationErrors)
  );
}
