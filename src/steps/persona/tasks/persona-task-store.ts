import { randomUUID } from "node:crypto";
import type { Kysely, Selectable } from "kysely";
import { fromJsonColumn, fromNullableJsonColumn, toIsoTimestamp, toJsonColumn, toNullableJsonColumn } from "../../../db/column-codecs.js";
import type { Database } from "../../../db/database.js";
import type { PersonaTasksTable, Tables } from "../../../db/tables.js";
import type { JsonObject } from "../../../onboarding/onboarding-record.js";

export const PERSONA_TASK_STATUSES = ["pending", "running", "completed", "failed"] as const;
export type PersonaTaskStatus = (typeof PERSONA_TASK_STATUSES)[number];
const UNFINISHED: readonly PersonaTaskStatus[] = ["pending", "running"];

export interface ProgressMessage {
  readonly timestamp: string;
  readonly message: string;
  readonly progress: number;
}

export interface PersonaTask {
  readonly taskId: string;
  readonly userId: string;
  readonly status: PersonaTaskStatus;
  readonly progress: number;
  readonly progressMessages: readonly ProgressMessage[];
  /** The generation's answer once completed. */
  readonly result: JsonObject | null;
  readonly error: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A state the process running a task writes: the whole list of messages each time (it alone owns them). */
export interface PersonaTaskState {
  readonly status: PersonaTaskStatus;
  readonly progress: number;
  readonly progressMessages: readonly ProgressMessage[];
  readonly result?: JsonObject;
  readonly error?: string;
}

export interface PersonaTaskTimeouts {
  /**
   * An unfinished task not written for this long belongs to a server that stopped: it is marked
   * failed when next read. A live task writes at each stage, and its longest stage is the
   * model's 30 s timeout, so this stays well above that.
   */
  readonly staleAfterMs: number;
  /** Tasks not written for this long are gone: they read as absent and are deleted by the next start. */
  readonly keepMs: number;
}

export const DEFAULT_PERSONA_TASK_TIMEOUTS: PersonaTaskTimeouts = Object.freeze({ staleAfterMs: 2 * 60_000, keepMs: 24 * 60 * 60_000 });

export const INTERRUPTED = "The server running this generation stopped before it finished; start the generation again";

/**
 * Step 4's generation tasks in the database, so that every app instance sees every task. Every
 * read is scoped by the token's user id: another user's task id reads as absent.
 */
export class PersonaTaskStore {
  readonly #database: Database;
  readonly #timeouts: PersonaTaskTimeouts;
  readonly #now: () => Date;

  constructor(database: Database, timeouts: PersonaTaskTimeouts = DEFAULT_PERSONA_TASK_TIMEOUTS, now: () => Date = () => new Date()) {
    this.#database = database;
    this.#timeouts = timeouts;
    this.#now = now;
  }

  /** The user's unfinished task, once the ones a stopped server left behind are marked failed. */
  async unfinished(userId: string): Promise<PersonaTask | null> {
    await this.#markAbandoned(userId);
    const row = await this.#kysely.selectFrom("persona_tasks").selectAll().where("user_id", "=", userId).where("status", "in", UNFINISHED).executeTakeFirst();
    return row === undefined ? null : taskFromRow(row);
  }

  /**
   * A new pending task; or, when another request (on any instance) created one first, that one:
   * a user has at most one unfinished task (a partial unique index says so).
   */
  async create(userId: string): Promise<{ readonly task: PersonaTask; readonly created: boolean }> {
    const now = this.#now().toISOString();
    await this.#kysely.deleteFrom("persona_tasks").where("updated_at", "<", this.#before(this.#timeouts.keepMs)).execute();
    for (let attempt = 0; attempt < 3; attempt++) {
      const existing = await this.unfinished(userId);
      if (existing !== null) return { task: existing, created: false };
      const inserted = await this.#kysely
        .insertInto("persona_tasks")
        .values({
          task_id: randomUUID(),
          user_id: userId,
          status: "pending",
          progress: 0,
          progress_messages: toJsonColumn([{ timestamp: now, message: "Waiting to start", progress: 0 }]),
          result: null,
          error: null,
          created_at: now,
          updated_at: now,
        })
        .onConflict((conflict) => conflict.doNothing())
        .returningAll()
        .executeTakeFirst();
      if (inserted !== undefined) return { task: taskFromRow(inserted), created: true };
    }
    throw new Error(`no persona task could be created or found for ${userId}`);
  }

  /** The user's task by id, or null: unknown, another user's, or older than the keep period. */
  async find(userId: string, taskId: string): Promise<PersonaTask | null> {
    await this.#markAbandoned(userId, taskId);
    const row = await this.#kysely
      .selectFrom("persona_tasks")
      .selectAll()
      .where("task_id", "=", taskId)
      .where("user_id", "=", userId)
      .where("updated_at", ">=", this.#before(this.#timeouts.keepMs))
      .executeTakeFirst();
    return row === undefined ? null : taskFromRow(row);
  }

  async write(taskId: string, state: PersonaTaskState): Promise<void> {
    await this.#kysely
      .updateTable("persona_tasks")
      .set({
        status: state.status,
        progress: state.progress,
        progress_messages: toJsonColumn(state.progressMessages),
        result: toNullableJsonColumn(state.result),
        error: state.error ?? null,
        updated_at: this.#now().toISOString(),
      })
      .where("task_id", "=", taskId)
      .execute();
  }

  /** How many tasks (of every user) are in each status: the operators' view. */
  async countByStatus(): Promise<Record<PersonaTaskStatus, number>> {
    const rows = await this.#kysely.selectFrom("persona_tasks").select(["status", (eb) => eb.fn.countAll<number | string>().as("count")]).groupBy("status").execute();
    const counts = Object.fromEntries(PERSONA_TASK_STATUSES.map((status) => [status, 0])) as Record<PersonaTaskStatus, number>;
    for (const row of rows) counts[row.status as PersonaTaskStatus] = Number(row.count);
    return counts;
  }

  /** Right to erasure: every task of the user. */
  eraseUser(userId: string): Promise<number> {
    return deletePersonaTasks(this.#kysely, userId);
  }

  get #kysely(): Kysely<Tables> {
    return this.#database.kysely;
  }

  #before(ms: number): string {
    return new Date(this.#now().getTime() - ms).toISOString();
  }

  async #markAbandoned(userId: string, taskId?: string): Promise<void> {
    let update = this.#kysely
      .updateTable("persona_tasks")
      .set({ status: "failed", error: INTERRUPTED, updated_at: this.#now().toISOString() })
      .where("user_id", "=", userId)
      .where("status", "in", UNFINISHED)
      .where("updated_at", "<", this.#before(this.#timeouts.staleAfterMs));
    if (taskId !== undefined) update = update.where("task_id", "=", taskId);
    await update.execute();
  }
}

/** Deletes the user's tasks with `db` (a transaction of the caller's, e.g. delete-user's). */
export async function deletePersonaTasks(db: Kysely<Tables>, userId: string): Promise<number> {
  const result = await db.deleteFrom("persona_tasks").where("user_id", "=", userId).executeTakeFirst();
  return Number(result.numDeletedRows);
}

function taskFromRow(row: Selectable<PersonaTasksTable>): PersonaTask {
  return {
    taskId: row.task_id,
    userId: row.user_id,
    status: row.status as PersonaTaskStatus,
    progress: Number(row.progress),
    progressMessages: fromJsonColumn<ProgressMessage[]>(row.progress_messages),
    result: fromNullableJsonColumn<JsonObject>(row.result),
    error: row.error,
    createdAt: toIsoTimestamp(row.created_at),
    updatedAt: toIsoTimestamp(row.updated_at),
  };
}
