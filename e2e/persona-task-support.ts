import { expect } from "vitest";
import type { ApiClient } from "../src/test-support/api-client.js";

/**
 * Polls GET /step4/persona-task/{id} as the old client does until the task is finished; every
 * answer on the way must be 200 with the task's whole shape.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function pollTask(api: ApiClient, taskId: string, timeoutMs = 15_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await api.get(`/step4/persona-task/${taskId}`);
    expect(response.status, response.text).toBe(200);
    expect(Object.keys(response.body).sort()).toEqual(
      ["task_id", "status", "progress", "current_step", "progress_messages", "result", "error", "created_at", "updated_at"].sort(),
    );
    if (response.body.status === "completed" || response.body.status === "failed") return response.body;
    if (Date.now() > deadline) throw new Error(`task ${taskId} still ${response.body.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
