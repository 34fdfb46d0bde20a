import type { Kysely, Selectable } from "kysely";
import type { SqlDialect } from "../db/database.js";
import { fromJsonColumn, toIsoTimestamp, toIsoTimestampOrNull, toJsonColumn } from "../db/column-codecs.js";
import type { OnboardingSessionsTable, StepStatesTable, Tables } from "../db/tables.js";
import type { OnboardingRecord, StepRecord, StepStatus } from "../onboarding/onboarding-record.js";
import { completionPercentage, currentStep } from "../onboarding/step-rules.js";

export type SessionRow = Selectable<OnboardingSessionsTable>;
export type StepStateRow = Selectable<StepStatesTable>;

/**
 * Creates the user's session, or locks the existing row until the transaction ends (SQLite's
 * IMMEDIATE transaction already holds the database's write lock). `created` spares a new
 * user's first save the reads of tables that cannot hold anything yet.
 */
export async function lockOrCreateSession(
  trx: Kysely<Tables>,
  dialect: SqlDialect,
  userId: string,
  now: string,
): Promise<{ session: SessionRow; created: boolean }> {
  const inserted = await trx
    .insertInto("onboarding_sessions")
    .values({ user_id: userId, current_step: 1, progress: 0, started_at: now, updated_at: now, completed_at: null })
    .onConflict((conflict) => conflict.column("user_id").doNothing())
    .returningAll()
    .executeTakeFirst();
  if (inserted !== undefined) return { session: inserted, created: true };
  let existing = trx.selectFrom("onboarding_sessions").selectAll().where("user_id", "=", userId);
  if (dialect === "postgres") existing = existing.forUpdate();
  return { session: await existing.executeTakeFirstOrThrow(), created: false };
}

export async function findSession(db: Kysely<Tables>, userId: string): Promise<SessionRow | undefined> {
  return db.selectFrom("onboarding_sessions").selectAll().where("user_id", "=", userId).executeTakeFirst();
}

export async function readStepStates(db: Kysely<Tables>, sessionId: number): Promise<StepStateRow[]> {
  return db.selectFrom("step_states").selectAll().where("session_id", "=", sessionId).execute();
}

export function stepFromRow(row: StepStateRow | undefined, base: StepRecord): StepRecord {
  if (row === undefined) return base;
  return {
    ...base,
    status: row.status as StepStatus,
    completedAt: toIsoTimestampOrNull(row.completed_at),
    validationErrors: fromJsonColumn<string[]>(row.validation_errors),
  };
}

export function sessionTimes(row: SessionRow): Pick<OnboardingRecord, "startedAt" | "updatedAt" | "completedAt"> {
  return {
    startedAt: toIsoTimestamp(row.started_at),
    updatedAt: toIsoTimestamp(row.updated_at),
    completedAt: toIsoTimestampOrNull(row.completed_at),
  };
}

/** The session row mirrors the derived fields so that operators can query them in SQL. */
export async function writeSession(trx: Kysely<Tables>, sessionId: number, record: OnboardingRecord): Promise<void> {
  await trx
    .updateTable("onboarding_sessions")
    .set({
      current_step: currentStep(record),
      progress: completionPercentage(record),
      started_at: record.startedAt,
      updated_at: record.updatedAt,
      completed_at: record.completedAt,
    })
    .where("id", "=", sessionId)
    .execute();
}

export async function writeStepState(trx: Kysely<Tables>, sessionId: number, step: StepRecord, now: string): Promise<void> {
  const values = {
    status: step.status,
    completed_at: step.completedAt,
    validation_errors: toJsonColumn(step.validationErrors),
    updated_at: now,
  };
  await trx
    .insertInto("step_states")
    .values({ session_id: sessionId, step_number: step.stepNumber, ...values })
    .onConflict((conflict) => conflict.columns(["session_id", "step_number"]).doUpdateSet(values))
    .execute();
}
