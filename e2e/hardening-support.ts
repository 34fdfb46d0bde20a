import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { sql } from "kysely";
import { expect } from "vitest";
import type { ApiClient, ApiResponse } from "../src/test-support/api-client.js";
import { SERVER_INSIDES } from "../src/test-support/leak-pattern.js";
import { sampleStepData } from "../src/test-support/sample-steps.js";
import { USER_TABLES } from "../src/cli/shared/user-tables.js";
import type { TestApp } from "../src/test-support/test-app.js";

/** Shared by the hardening tests of the HTTP API (bad input, auth, limits, logs). */

export const OPENAI_KEY = "sk-hardening-OPENAI-secret-9911";

/** Rows per user table: a refused request must leave every count (and every row) as it was. */
export async function tableSnapshot(t: TestApp): Promise<Record<string, unknown[]>> {
  const snapshot: Record<string, unknown[]> = {};
  for (const table of USER_TABLES) {
    const result = await sql`select * from ${sql.table(table)}`.execute(t.db.database.kysely);
    snapshot[table] = result.rows.map((row) => JSON.stringify(row)).sort();
  }
  return snapshot;
}

export async function rowCount(t: TestApp, table: (typeof USER_TABLES)[number]): Promise<number> {
  const result = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(t.db.database.kysely);
  return Number(result.rows[0]?.n ?? 0);
}

/** SPEC §4's error body, with nothing of the server's insides (stack, SQL, file paths) in it. */
export function expectErrorShape(response: Pick<ApiResponse, "status" | "body" | "text">, status: number, code?: string): void {
  expect(response.status, response.text).toBe(status);
  expect(response.body, response.text).toEqual({ detail: expect.any(String), code: expect.any(String), errors: expect.any(Array) });
  for (const error of response.body.errors) expect(error).toEqual({ path: expect.any(String), message: expect.any(String) });
  if (code !== undefined) expect(response.body.code).toBe(code);
  expectNothingInside(response.text);
}

export function expectNothingInside(text: string): void {
  expect(text).not.toMatch(SERVER_INSIDES);
}

/** Steps 1-3 completed and a step 4 draft, so that a refused request has something to damage. */
export async function walkToStepFour(api: ApiClient, tag: string): Promise<void> {
  const calls = [
    () => api.post("/step/1/complete", { data: { api_keys: { openai: OPENAI_KEY } } }),
    () => api.post("/step/2/complete", { data: sampleStepData(2, tag) }),
    () => api.post("/step/3/complete", { data: sampleStepData(3, tag) }),
    () => api.put("/step/4", { data: sampleStepData(4, tag) }),
  ];
  for (const call of calls) {
    const response = await call();
    expect(response.status, response.text).toBe(200);
  }
}

/** Every byte the mode stores: raw rows of every table that holds user data, and the progress files. */
export async function storedText(t: TestApp, mode: string): Promise<string[]> {
  const texts: string[] = [];
  if (mode !== "file") {
    for (const table of [...USER_TABLES, "persona_tasks"]) {
      const rows = await sql`select * from ${sql.table(table)}`.execute(t.db.database.kysely);
      texts.push(JSON.stringify(rows.rows));
    }
  }
  if (mode !== "database") {
    const dir = t.services.config.progressDir;
    for (const name of readdirSync(dir)) texts.push(readFileSync(join(dir, name), "utf8"));
  }
  return texts;
}
