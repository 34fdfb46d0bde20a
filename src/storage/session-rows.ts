import type { Kysely, Selectable } from "kysely";
import { inChunks, MAX_BOUND_PARAMETERS } from "../db/bulk-rows.js";
import { fromJsonColumn, toIsoTimestamp, toIsoTimestampOrNull, toJsonColumn } from "../db/column-codecs.js";
import type { OnboardingSessionsTable, StepStatesTable, Tables } from "../db/tables.js";
import type { WriteBatch } from "../db/write-batch.js";
import type { OnboardingRecord, StepRecord, StepStatus } from "../onboarding/onboarding-record.js";
import { completionPercentage, currentStep } from "../onboarding/step-rules.js";

export type SessionRow = Selectable<OnboardingSessionsTable>;
export type StepStateRow = Selectable<StepStatesTable>;

/**
 * Creates sessions for users who have none, returning the rows it created. A user whose
 * session another transaction created meanwhile is not returned: the caller reads it.
 */
export async function createSessions(trx: Kysely<Tables>, userIds: readonly string[], now: string): Promise<SessionRow[]> {
  const created: SessionRow[] = [];
  for (const chunk of inChunks(userIds, Math.floor(MAX_BOUND_PARAMETERS / 6))) {
    created.push(
      ...(await trx
        .insertInto("onboarding_sessions")
        .values(chunk.map((user_id) => ({ user_id, current_step: 1, progress: 0, started_at: now, updated_at: now, completed_at: null })))
        .onConflict((conflict) => conflict.column("user_id").doNothing())
        .returningAll()
        .execute()),
    );
  }
  return created;
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

/** The session rows mirror the derived fields so that operators can query them in SQL; one upsert on id updates them all. */
export function writeSessions(batch: WriteBatch, sessions: readonly { readonly sessionId: number; readonly record: OnboardingRecord }[]): void {
  const rows = sessions.map(({ sessionId, record }) => ({
    id: sessionId,
    user_id: record.userId,
    current_step: currentStep(record),
    progress: completionPercentage(record),
    started_at: record.startedAt,
    updated_at: record.updatedAt,
    completed_at: record.completedAt,
  }));
  batch.upsert("onboarding_sessions", rows, {
    conflict: ["id"],
    update: ["current_step", "progress", "started_at", "updated_at", "completed_at"],
  });
}

export function writeStepStates(batch: WriteBatch, states: readonly { readonly sessionId: number; readonly step: StepRecord }[], now: string): void {
  const rows = states.map(({ sessionId, step }) => ({
    session_id: sessionId,
    step_number: step.stepNumber,
    status: step.status,
    completed_at: step.completedAt,
    validation_errors: toJsonColumn(step.validationErrors),
    updated_at: now,
  }));
  batch.upsert("step_states", rows, {
    conflict: ["session_id", "step_number"],
    update: ["status", "completed_at", "validation_errors", "updated_at"],
  });
}
