import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { MAX_USER_ID_LENGTH } from "../src/auth/user-id.js";
import { progressFileName } from "../src/storage/progress-file-name.js";
import { ApiClient } from "../src/test-support/api-client.js";
import { sampleStepData } from "../src/test-support/sample-steps.js";
import { openTestApp, type TestApp } from "../src/test-support/test-app.js";
import { TEST_DIALECTS } from "../src/test-support/test-database.js";

/** SPEC §3 allows ids of 255 characters; the old file-name rule makes names of 26 + length bytes, and a name holds 255. */
const IDS = [
  ["229 characters (the longest old name)", "u".repeat(229)],
  ["230 characters", "u".repeat(230)],
  ["255 characters", `user_${"v".repeat(250)}`],
  ["255 emoji", "😀".repeat(MAX_USER_ID_LENGTH)],
  ["255 characters, one different at the end", `user_${"v".repeat(249)}w`],
] as const;

describe.each(TEST_DIALECTS)("user ids of any valid length on %s", (dialect) => {
  let t: TestApp;
  afterEach(() => t.close());

  it.each(["file", "dual"] as const)("work in %s mode: saved, read back, and mirrored in a file of their own", async (mode) => {
    t = await openTestApp(dialect, { STORAGE_MODE: mode });
    for (const [label, id] of IDS) {
      const api = await ApiClient.signIn(t.app, id);
      const saved = await api.post("/step/1/complete", { data: { api_keys: { openai: "sk-long-user-id-0042" } } });
      expect(saved.status, `${label}: ${saved.text}`).toBe(200);
      expect((await api.put("/step/2", { data: sampleStepData(2, "long") })).status, label).toBe(200);
      const progress = (await api.get("/progress")).body;
      expect([progress.current_step, progress.steps[0].status, progress.steps[1].status], label).toEqual([2, "completed", "in_progress"]);
      await t.services.store.settled();
      const file = join(t.services.config.progressDir, progressFileName(id));
      expect(existsSync(file), label).toBe(true);
      expect(JSON.parse(readFileSync(file, "utf8")).user_id).toBe(id);
    }
    expect(readdirSync(t.services.config.progressDir)).toHaveLength(IDS.length);
  });
});
