import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { progressFileName } from "../src/storage/progress-file-name.js";
import { ApiClient } from "../src/test-support/api-client.js";
import { openTestApp, type TestApp } from "../src/test-support/test-app.js";
import { TEST_DIALECTS } from "../src/test-support/test-database.js";

/**
 * A write killed between its temp file and the rename (SIGKILL, OOM, power loss) leaves the temp
 * file behind; after ten kills a drill found 55 of them in PROGRESS_DIR. The next start removes them.
 */
describe.each(TEST_DIALECTS)("temp files left by killed writes on %s", (dialect) => {
  let t: TestApp;
  let dir: string;
  afterEach(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(["file", "dual"] as const)("are removed when the server starts in %s mode; the progress files stay", async (mode) => {
    dir = mkdtempSync(join(tmpdir(), "killed-writes-"));
    const progressDir = join(dir, "progress");
    mkdirSync(progressDir);
    const killed = spawnSync(process.execPath, ["-e", ""]).pid;
    const leftovers = ["user_a", "user_b"].map((user) => `${progressFileName(user)}.${killed}.0123456789ab.tmp`);
    for (const name of leftovers) writeFileSync(join(progressDir, name), '{\n  "steps": [');

    t = await openTestApp(dialect, { STORAGE_MODE: mode, PROGRESS_DIR: progressDir });
    expect(readdirSync(progressDir)).toEqual([]);
    const api = await ApiClient.signIn(t.app, "user_a");
    expect((await api.post("/step/1/complete", { data: { api_keys: { openai: "sk-after-the-kill-0001" } } })).status).toBe(200);
    await t.services.store.settled();
    expect(readdirSync(progressDir)).toEqual([progressFileName("user_a")]);
  });
});
