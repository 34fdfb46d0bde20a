import type { Database } from "../../db/database.js";
import type { ProgressFiles } from "../../storage/progress-files.js";
import { FileCollision } from "../../storage/storage-errors.js";
import { deleteWorkRuns } from "../../limits/database-work-state.js";
import { deletePersonaTasks } from "../../steps/persona/tasks/persona-task-store.js";
import { CHILD_TABLES, type UserTable } from "../shared/user-tables.js";

/**
 * Step 4's tasks and the runs of expensive work (whose outcomes hold the user's data) are keyed by
 * user id, not by session (they exist in `file` mode too), so they are deleted on their own.
 */
type ErasedTable = UserTable | "persona_tasks" | "expensive_work_runs";

export type FileDeletion = "deleted" | "absent" | "not_checked" | "belongs_to_another_user" | "failed";

export interface DeletionReport {
  readonly user_id: string;
  readonly session_deleted: boolean;
  /** Rows removed per table, the cascade included. */
  readonly rows_deleted: Readonly<Record<ErasedTable, number>>;
  readonly file: { readonly path: string | null; readonly outcome: FileDeletion; readonly detail: string | null };
  readonly nothing_found: boolean;
}

/**
 * Erases everything the user has (right to erasure): the session with every child row, counted
 * and deleted in one transaction, then the progress file. `files` is null in `database` mode,
 * which does no file I/O at all.
 */
export async function deleteUser(database: Database, files: ProgressFiles | null, userId: string): Promise<DeletionReport> {
  const rows = await deleteRows(database, userId);
  const file = files === null ? notChecked() : await deleteFile(files, userId);
  const sessionDeleted = rows.onboarding_sessions > 0;
  return {
    user_id: userId,
    session_deleted: sessionDeleted,
    rows_deleted: rows,
    file,
    nothing_found: !sessionDeleted && rows.persona_tasks === 0 && rows.expensive_work_runs === 0 && file.outcome !== "deleted",
  };
}

async function deleteRows(database: Database, userId: string): Promise<Record<ErasedTable, number>> {
  return database.writeTransaction(async (trx) => {
    const counts = { onboarding_sessions: 0 } as Record<ErasedTable, number>;
    for (const table of CHILD_TABLES) counts[table] = 0;
    counts.persona_tasks = await deletePersonaTasks(trx, userId);
    counts.expensive_work_runs = await deleteWorkRuns(trx, userId);
    const session = await trx.selectFrom("onboarding_sessions").select("id").where("user_id", "=", userId).executeTakeFirst();
    if (session === undefined) return counts;
    for (const table of CHILD_TABLES) {
      const row = await trx.selectFrom(table).select((eb) => eb.fn.countAll().as("n")).where("session_id", "=", session.id).executeTakeFirstOrThrow();
      counts[table] = Number(row.n);
    }
    // The child rows go with the session: every child table's foreign key cascades.
    const deleted = await trx.deleteFrom("onboarding_sessions").where("id", "=", session.id).executeTakeFirst();
    counts.onboarding_sessions = Number(deleted.numDeletedRows);
    return counts;
  });
}

async function deleteFile(files: ProgressFiles, userId: string): Promise<DeletionReport["file"]> {
  const path = files.pathOf(userId);
  try {
    return { path, outcome: (await files.remove(userId)) ? "deleted" : "absent", detail: null };
  } catch (error) {
    if (error instanceof FileCollision) {
      return { path, outcome: "belongs_to_another_user", detail: "the file stores another user id: left alone" };
    }
    return { path, outcome: "failed", detail: error instanceof Error ? error.message : String(error) };
  }
}

function notChecked(): DeletionReport["file"] {
  return { path: null, outcome: "not_checked", detail: "STORAGE_MODE=database keeps no progress files" };
}
