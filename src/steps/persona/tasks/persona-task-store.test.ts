import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from "../../../test-support/test-database.js";
import { DEFAULT_PERSONA_TASK_TIMEOUTS, INTERRUPTED, PersonaTaskStore } from "./persona-task-store.js";

const MINUTE = 60_000;

describe.each(TEST_DIALECTS)("PersonaTaskStore on %s", (dialect) => {
  let test: TestDatabase;
  let offsetMs: number;
  let store: PersonaTaskStore;
  const later = (ms: number) => (offsetMs += ms);

  beforeEach(async () => {
    test = await openTestDatabase(dialect);
    offsetMs = 0;
    store = new PersonaTaskStore(test.database, DEFAULT_PERSONA_TASK_TIMEOUTS, () => new Date(Date.now() + offsetMs));
  });
  afterEach(() => test.cleanup());

  const rows = async () => (await test.database.kysely.selectFrom("persona_tasks").select(["user_id", "status"]).orderBy("created_at").execute()).map((r) => `${r.user_id} ${r.status}`);

  it("creates one pending task per user and answers that one to a second start", async () => {
    const first = await store.create("user_a");
    const second = await store.create("user_a");
    const other = await store.create("user_b");

    expect(first).toMatchObject({ created: true, task: { userId: "user_a", status: "pending", progress: 0, result: null, error: null } });
    expect(first.task.progressMessages).toEqual([{ timestamp: first.task.createdAt, message: "Waiting to start", progress: 0 }]);
    expect(second).toEqual({ created: false, task: first.task });
    expect(other.created).toBe(true);
    expect(await rowsSorted()).toEqual(["user_a pending", "user_b pending"]);
  });

  it("creates exactly one task under racing starts", async () => {
    const starts = await Promise.all(Array.from({ length: 8 }, () => store.create("user_race")));

    expect(starts.filter((start) => start.created)).toHaveLength(1);
    expect(new Set(starts.map((start) => start.task.taskId)).size).toBe(1);
    expect(await rows()).toEqual(["user_race pending"]);
  });

  it("finds a task only for its own user", async () => {
    const { task } = await store.create("user_a");

    expect(await store.find("user_a", task.taskId)).toEqual(task);
    expect(await store.find("user_b", task.taskId)).toBeNull();
    expect(await store.find("user_a", "00000000-0000-0000-0000-000000000000")).toBeNull();
  });

  it("keeps what the running process writes, and starts a new task once the last one finished", async () => {
    const { task } = await store.create("user_a");
    const messages = [...task.progressMessages, { timestamp: new Date().toISOString(), message: "Working", progress: 40 }];
    await store.write(task.taskId, { status: "running", progress: 40, progressMessages: messages });
    expect(await store.find("user_a", task.taskId)).toMatchObject({ status: "running", progress: 40, progressMessages: messages });

    await store.write(task.taskId, { status: "completed", progress: 100, progressMessages: messages, result: { corePersona: { tone: "warm" } } });
    expect(await store.find("user_a", task.taskId)).toMatchObject({ status: "completed", result: { corePersona: { tone: "warm" } }, error: null });
    expect(await store.unfinished("user_a")).toBeNull();
    const next = await store.create("user_a");
    expect(next.created).toBe(true);
    expect(next.task.taskId).not.toBe(task.taskId);
  });

  it("marks a task failed on the first read after it went unwritten longer than the timeout, and lets a new one start", async () => {
    const { task } = await store.create("user_a");
    later(DEFAULT_PERSONA_TASK_TIMEOUTS.staleAfterMs - MINUTE);
    expect(await store.find("user_a", task.taskId)).toMatchObject({ status: "pending" });

    later(2 * MINUTE);
    expect(await store.find("user_a", task.taskId)).toMatchObject({ status: "failed", error: INTERRUPTED });
    const next = await store.create("user_a");
    expect(next.created).toBe(true);
    expect(await rowsSorted()).toEqual(["user_a failed", "user_a pending"]);
  });

  it("hides tasks untouched for a day and deletes them at the next start, whoever starts it", async () => {
    const { task } = await store.create("user_a");
    await store.write(task.taskId, { status: "completed", progress: 100, progressMessages: task.progressMessages, result: {} });
    later(DEFAULT_PERSONA_TASK_TIMEOUTS.keepMs - MINUTE);
    expect(await store.find("user_a", task.taskId)).not.toBeNull();

    later(2 * MINUTE);
    expect(await store.find("user_a", task.taskId)).toBeNull();
    expect(await rows()).toEqual(["user_a completed"]);
    await store.create("user_b");
    expect(await rows()).toEqual(["user_b pending"]);
  });

  it("erases every task of one user and no other's", async () => {
    const { task } = await store.create("user_a");
    await store.write(task.taskId, { status: "failed", progress: 10, progressMessages: [], error: "x" });
    await store.create("user_a");
    await store.create("user_b");

    expect(await store.eraseUser("user_a")).toBe(2);
    expect(await rows()).toEqual(["user_b pending"]);
  });

  async function rowsSorted(): Promise<string[]> {
    return (await rows()).sort();
  }
});
