import type { Kysely, Selectable } from "kysely";
import { inChunks, MAX_BOUND_PARAMETERS, upsertRows } from "../db/bulk-rows.js";
import type { SqlDialect } from "../db/database.js";
import { fromJsonColumn, toIsoTimestamp, toIsoTimestampOrNull, toJsonColumn } from "../db/column-codecs.js";
import type { OnboardingSessionsTable, StepStatesTable, Tables } from "../db/tables.js";
import type { OnboardingRecord, StepRecord, StepStatus } from "../onboarding/onboarding-record.js";
import { completionPercentage, currentStep } from "../onboarding/step-rules.js";

export type SessionRow = Selectable<OnboardingSessionsTable>;
export type StepStateRow = Selectable<StepStatesTable>;

export interface LockedSession {
  readonly session: SessionRow;
  /** Created by this transaction: it has no rows anywhere else yet. */
  readonly created: boolean;
}

/**
 * Creates the users' sessions, or locks the existing rows until the transaction ends (SQLite's
 * IMMEDIATE transaction already holds the database's write lock). `created` spares a new
 * user's first save the reads of tables that cannot hold anything yet.
 */
export async function lockOrCreateSessions(
  trx: Kysely<Tables>,
  dialect: SqlDialect,
  userIds: readonly string[],
  now: string,
): Promise<Map<string, LockedSession>> {
  const sessions = new Map<string, LockedSession>();
  for (const chunk of inChunks(userIds, Math.floor(MAX_BOUND_PARAMETERS / 6))) {
    const inserted = await trx
      .insertInto("onboarding_sessions")
      .values(chunk.map((user_id) => ({ user_id, current_step: 1, progress: 0, started_at: now, updated_at: now, completed_at: null })))
      .onConflict((conflict) => conflict.column("user_id").doNothing())
      .returningAll()
      .execute();
    for (const session of inserted) sessions.set(session.user_id, { session, created: true });
  }
  for (const chunk of inChunks(userIds.filter((userId) => !sessions.has(userId)), MAX_BOUND_PARAMETERS)) {
    let existing = trx.selectFrom("onboarding_sessions").selectAll().where("user_id", "in", chunk);
    if (dialect === "postgres") existing = existing.forUpdate();
    for (const session of await existing.execute()) sessions.set(session.user_id, { session, created: false });
  }
  return sessions;
}

/** One user's session, created or locked: see lockOrCreateSessions. */
export async function lockOrCreateSession(trx: Kysely<Tables>, dialect: SqlDialect, userId: string, now: string): Promise<LockedSession> {
  const locked = (await lockOrCreateSessions(trx, dialect, [userId], now)).get(userId);
  if (locked === undefined) throw new Error(`the session of ${userId} was neither created nor found`);
  return locked;
}

export async function findSessions(db: Kysely<Tables>, userIds: readonly string[]): Promise<SessionRow[]> {
  const rows: SessionRow[] = [];
  for (const chunk of inChunks(userIds, MAX_BOUND_PARAMETERS)) {
    rows.push(...(await db.selectFrom("onboarding_sessions").selectAll().where("user_id", "in", chunk).execute()));
  }
  return rows;
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
export async function writeSessions(
  trx: Kysely<Tables>,
  sessions: readonly { readonly sessionId: number; readonly record: OnboardingRecord }[],
): Promise<void> {
  const rows = sessions.map(({ sessionId, record }) => ({
    id: sessionId,
    user_id: record.userId,
    current_step: currentStep(record),
    progress: completionPercentage(record),
    started_at: record.startedAt,
    updated_at: record.updatedAt,
    completed_at: record.completedAt,
  }));
  await upsertRows(trx, "onboarding_sessions", rows, {
    conflict: ["id"],
    update: ["current_step", "progress", "started_at", "updated_at", "completed_at"],
  });
}

export async function writeStepStates(
  trx: Kysely<Tables>,
  states: readonly { readonly sessionId: number; readonly step: StepRecord }[],
  now: string,
): Promise<void> {
  const rows = states.map(({ sessionId, step }) => ({
    session_id: sessionId,
    step_number: step.stepNumber,
    status: step.status,
    completed_at: step.completedAt,
    validation_errors: toJsonColumn(step.validationErrors),
    updated_at: now,
  }));
  await upsertRows(trx, "step_states", rows, {
    conflict: ["session_id", "step_number"],
    update: ["status", "completed_at", "validation_errors", "updated_at"],
  });
}
