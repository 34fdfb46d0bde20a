import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { stepPersistences } from "../../composition/step-registry.js";
import { completeStep, saveStepData } from "../../onboarding/step-transitions.js";
import { DatabaseStore } from "../../storage/database-store.js";
import { sampleStepData, sealedKeys, testCipher } from "../../test-support/sample-steps.js";
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from "../../test-support/test-database.js";
import { registerVerifyCommand } from "../commands/verify-command.js";
import { runTestCommand } from "../shared/command-test-runner.js";
import type { UserInspection } from "./inspect-user.js";

const SECRET = "sk-verify-secret-key-9876";

describe.each(TEST_DIALECTS)("verify on %s", (dialect) => {
  let test: TestDatabase;
  const cipher = testCipher();
  const steps = stepPersistences(cipher);

  beforeEach(async () => {
    test = await openTestDatabase(dialect);
    const store = new DatabaseStore(test.database, steps);
    for (const user of ["user_verify", "user_other"]) {
      await store.update(user, (r, now) => completeStep(r, 1, sealedKeys(cipher, user, { openai: SECRET, exa: "exa-key-000042" }), () => [], now));
      for (const n of [2, 3, 4] as const) await store.update(user, (r, now) => completeStep(r, n, sampleStepData(n, user), () => [], now));
    }
    await store.update("user_verify", (r, now) => saveStepData(r, 5, sampleStepData(5, "user_verify"), now));
  });
  afterEach(() => test.cleanup());

  const verify = (...args: string[]) => runTestCommand(registerVerifyCommand, ["verify", ...args], { database: test.database, cipher });

  it("shows each table and step of the user, with keys masked and never opened", async () => {
    const run = await verify("user_verify", "--json");
    expect(run.exitCode).toBe(0);
    const report = JSON.parse(run.stdout) as UserInspection;
    expect(report).toMatchObject({ user_id: "user_verify", current_step: 5, completion_percentage: 66.7, is_completed: false, completed_at: null });
    expect(report.steps.map((s) => s.status)).toEqual(["completed", "completed", "completed", "completed", "in_progress", "pending"]);
    expect(report.steps[0]?.data).toEqual({ api_keys: { exa: "**********0042", openai: "*".repeat(SECRET.length - 4) + "9876" } });
    const rows = Object.fromEntries(report.tables.map((t) => [t.table, t.rows]));
    expect(rows.api_keys?.map((r) => [r.provider, r.masked])).toEqual([
      ["exa", "**********0042"],
      ["openai", "*".repeat(SECRET.length - 4) + "9876"],
    ]);
    expect(rows.api_keys?.[0]).not.toHaveProperty("key_ciphertext");
    expect(report.api_key_versions).toEqual({
      current_key_version: cipher.currentVersion,
      keys: [
        { provider: "exa", key_version: cipher.currentVersion, on_current_key: true },
        { provider: "openai", key_version: cipher.currentVersion, on_current_key: true },
      ],
    });
    expect(rows.api_keys?.map((r) => r.key_version)).toEqual([cipher.currentVersion, cipher.currentVersion]);
    expect(rows.step_states).toHaveLength(5);
    expect(rows.research_preferences?.[0]).toMatchObject({ research_depth: "Comprehensive", auto_research: true, content_types: ["blog", "case-user_verify"] });
    expect(rows.platform_integrations?.[0]).toMatchObject({ social_platforms: ["linkedin", "x-user_verify"] });
    expect(rows.onboarding_sessions?.[0]).toMatchObject({ user_id: "user_verify", current_step: 5 });
    expect(run.stdout).not.toContain(SECRET);
    expect(run.stdout).not.toContain("user_other");
    const ciphertexts = await test.database.kysely.selectFrom("api_keys").select("key_ciphertext").execute();
    for (const { key_ciphertext } of ciphertexts) expect(run.stdout).not.toContain(key_ciphertext);
  });

  it("prints the same for people", async () => {
    const run = await verify("user_verify");
    expect(run.exitCode).toBe(0);
    expect(run.stdout).toMatch(/current step 5, 66\.7% done, not completed/);
    expect(run.stdout).toMatch(/1 AI LLM Providers\s+completed at \S+\s+api_keys: exa \*{10}0042, openai \*+9876\n/);
    expect(run.stdout).toMatch(/platform_integrations\s+1 row/);
    expect(run.stdout).toContain(`API key versions (ENCRYPTION_KEY is version ${cipher.currentVersion})`);
    expect(run.stdout).toMatch(new RegExp(`openai +version ${cipher.currentVersion} +current\n`));
    expect(run.stdout).not.toContain(SECRET);
  });

  it("exits 1 with a clear message for a user without a session", async () => {
    const run = await verify("user_nobody");
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toMatch(/no onboarding session for user "user_nobody"/);
    const json = await verify("user_nobody", "--json");
    expect(json.exitCode).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ user_id: "user_nobody", found: false });
  });
});
