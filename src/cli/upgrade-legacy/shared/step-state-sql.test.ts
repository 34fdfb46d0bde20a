import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from "../../../test-support/test-database.js";
import { execute, query } from "./raw-sql.js";
import { stepStatesInsertSql } from "./step-state-sql.js";

const T = "'2024-01-01 00:00:00'";
const same = (table: string) => table;

/** Sessions 1-6 at current_step 1-6, and data for some steps of some of them. */
async function seed(test: TestDatabase): Promise<void> {
  const db = test.database.kysely;
  for (let id = 1; id <= 6; id += 1) {
    await execute(db, `insert into onboarding_sessions (id, user_id, current_step, progress, started_at, updated_at) values (${id}, 'user_${id}', ${id}, 0, ${T}, ${T})`);
  }
  for (const session of [1, 2, 5]) {
    await execute(
      db,
      `insert into api_keys (session_id, provider, key_ciphertext, key_last4, key_version, created_at, updated_at)
       values (${session}, 'openai', 'sealed', '1234', 1, ${T}, ${T})`,
    );
  }
  for (const session of [1, 3]) {
    await execute(db, `insert into website_analyses (session_id, website_url, status, created_at, updated_at) values (${session}, 'https://example.com', 'completed', ${T}, ${T})`);
  }
  for (const session of [1, 6]) {
    await execute(
      db,
      `insert into research_preferences (session_id, research_depth, content_types, auto_research, factual_content, created_at, updated_at)
       values (${session}, 'Standard', '[]', true, true, ${T}, ${T})`,
    );
  }
  await execute(db, `insert into persona_data (session_id, created_at, updated_at) values (2, ${T}, ${T})`);
}

async function stepStates(test: TestDatabase): Promise<string[]> {
  const rows = await query<{ session_id: number; step_number: number; status: string; completed_at: unknown }>(
    test.database.kysely,
    "select session_id, step_number, status, completed_at from step_states order by session_id, step_number",
  );
  return rows.map((row) => `${row.session_id}/${row.step_number} ${row.status}${row.completed_at === null ? "" : " at"}`);
}

describe.each(TEST_DIALECTS)("the step-state rule in parts on %s", (dialect) => {
  let test: TestDatabase;

  beforeEach(async () => {
    test = await openTestDatabase(dialect);
    await seed(test);
  });

  afterEach(async () => {
    await test.cleanup();
  });

  it("writes the same rows in its two parts as in one, and no row twice", async () => {
    const db = test.database.kysely;
    const whole = await execute(db, stepStatesInsertSql(same, "all"));
    const expected = await stepStates(test);
    await execute(db, "delete from step_states");

    const withoutKeys = await execute(db, stepStatesInsertSql(same, "not-decided-by-keys"));
    const byKeys = await execute(db, stepStatesInsertSql(same, "decided-by-keys"));

    expect(await stepStates(test)).toEqual(expected);
    expect(withoutKeys + byKeys).toBe(whole);
    // Session 1 (at step 1) is in progress on steps 1-3 only because of its key, analysis and preferences;
    // session 5 (at step 5) has steps 1-4 completed: its key decides nothing.
    expect(expected.filter((row) => row.startsWith("1/"))).toEqual(["1/1 in_progress", "1/2 in_progress", "1/3 in_progress"]);
    expect(expected.filter((row) => row.startsWith("5/"))).toEqual(["5/1 completed at", "5/2 completed at", "5/3 completed at", "5/4 completed at"]);
    expect(byKeys).toBe(1);
  });
});
