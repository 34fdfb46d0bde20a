import { sql } from "kysely";
import { expect, it } from "vitest";
import type { JsonObject } from "../onboarding/onboarding-record.js";
import type { StepTableHarness } from "./step-table-harness.js";

export interface StepTableContract {
  /** The step's table, whose rows carry session_id. */
  readonly table: string;
  /** Valid data for the step, different for each tag (and for each user where the data names its user). */
  sample(tag: string, userId: string): JsonObject;
}

/**
 * The cases every step's table must pass, whatever its columns: registered inside the step's own
 * describe, beside the cases about its columns. Each step folder keeps those; this is the rest.
 */
export function itKeepsTheStepTableContract(harness: StepTableHarness, contract: StepTableContract): void {
  const { save, readData } = harness;
  const index = harness.stepNumber - 1;
  const rowCount = async (userId: string) => {
    const { rows } = await sql<{ n: number | string }>`
      select count(*) as n from ${sql.table(contract.table)} t
      join onboarding_sessions s on s.id = t.session_id where s.user_id = ${userId}`.execute(harness.test.database.kysely);
    return Number(rows[0]?.n ?? 0);
  };

  it(`gives back what was saved exactly, with the save's time (${contract.table})`, async () => {
    const saved = contract.sample("a", "user_a");

    const now = await save("user_a", saved);

    const record = await harness.store.read("user_a");
    expect(record?.steps[index]?.data).toEqual(saved);
    expect(record?.steps[index]?.updatedAt).toBe(now);
  });

  it(`deletes the user's rows when the step's data becomes null (${contract.table})`, async () => {
    await save("user_a", contract.sample("gone", "user_a"));
    expect(await rowCount("user_a")).toBeGreaterThan(0);

    await save("user_a", null);

    expect(await rowCount("user_a")).toBe(0);
    expect(await readData("user_a")).toBeNull();
  });

  it(`never shows one user's save under another (${contract.table})`, async () => {
    // Built once each: a sample may hold sealed keys, whose random nonces differ on every call.
    const [a, b] = [contract.sample("a", "user_a"), contract.sample("b", "user_b")];
    await save("user_a", a);
    await save("user_b", b);

    expect(await readData("user_a")).toEqual(a);
    expect(await readData("user_b")).toEqual(b);
    expect(await readData("user_nobody")).toBeNull();
  });
}
