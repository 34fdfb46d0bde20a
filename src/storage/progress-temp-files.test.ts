import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { removeAbandonedTempFiles, THIS_HOST, tempFilePath } from "./progress-temp-files.js";

/** The id of a process that has surely ended: one that ran and exited. */
function endedProcessId(): number {
  const { pid } = spawnSync(process.execPath, ["-e", ""]);
  return pid;
}

describe("temp files of progress-file writes", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "temp-files-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const put = (name: string, ageMs = 0) => {
    writeFileSync(join(dir, name), "{");
    const when = new Date(Date.now() - ageMs);
    utimesSync(join(dir, name), when, when);
  };

  it("are named for this host and process, whatever the user id, and told from progress files", () => {
    const name = tempFilePath(dir).slice(dir.length + 1);
    expect(name).toMatch(new RegExp(`^\\.onboarding_progress\\.${THIS_HOST}-${process.pid}\\.[0-9a-f]{12}\\.tmp$`));
    expect(tempFilePath(dir)).not.toBe(tempFilePath(dir));
  });

  it("removes those of writes killed on this host and those older than 15 minutes, and nothing else", async () => {
    const ended = endedProcessId();
    const running = process.ppid;
    const hour = 60 * 60_000;
    const abandoned = [
      `.onboarding_progress.${THIS_HOST}-${ended}.aaaaaaaaaaaa.tmp`,
      `.onboarding_progress.0badf00d-${ended}.bbbbbbbbbbbb.tmp`,
      `.onboarding_progress.${THIS_HOST}-${running}.cccccccccccc.tmp`,
      // Named as before this change: `<progress file>.<pid>.<random>.tmp`, written on this host.
      `.onboarding_progress_user_a.json.${ended}.dddddddddddd.tmp`,
    ];
    const kept = [
      `.onboarding_progress.${THIS_HOST}-${running}.eeeeeeeeeeee.tmp`,
      `.onboarding_progress.0badf00d-${ended}.ffffffffffff.tmp`,
      ".onboarding_progress_user_a.json",
      `.onboarding_progress_user_b.json.${ended}.json`,
      "notes.tmp",
    ];
    put(abandoned[0]!);
    put(abandoned[1]!, hour);
    put(abandoned[2]!, hour);
    put(abandoned[3]!);
    for (const name of kept) put(name, 60_000);

    expect((await removeAbandonedTempFiles(dir)).sort()).toEqual([...abandoned].sort());
    expect(readdirSync(dir).sort()).toEqual([...kept].sort());
  });

  it("find nothing to do in a folder that does not exist yet", async () => {
    expect(await removeAbandonedTempFiles(join(dir, "not-yet"))).toEqual([]);
  });
});
