import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { stepPersistences } from "../composition/step-registry.js";
import { newRecord, withStep, type OnboardingRecord } from "../onboarding/onboarding-record.js";
import { testCipher } from "../test-support/sample-steps.js";
import { ProgressFileMirror } from "./progress-file-mirror.js";
import { progressFilePath } from "./progress-file-name.js";
import { ProgressFiles } from "./progress-files.js";
import { StorageMetrics } from "./storage-metrics.js";

/** A record whose step 3 holds `depth`, stamped at `at`. */
function recordAt(userId: string, at: string, depth: string): OnboardingRecord {
  const base = newRecord(userId, "2026-01-01T00:00:00.000Z");
  const data = { research_depth: depth, content_types: ["blog"], auto_research: true, factual_content: true };
  return { ...withStep(base, { ...base.steps[2]!, status: "in_progress", data, updatedAt: at }, at), updatedAt: at };
}

describe("ProgressFileMirror", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  function mirrorIn(dir: string) {
    const warnings: string[] = [];
    const metrics = new StorageMetrics();
    const files = new ProgressFiles(dir, stepPersistences(testCipher()), "dual");
    const writes: string[] = [];
    // Counts the files really written, through the real ProgressFiles.
    const counting = Object.assign(Object.create(files) as ProgressFiles, {
      writeCopy: (record: OnboardingRecord) => {
        writes.push(record.updatedAt);
        return files.writeCopy(record);
      },
    });
    const logger = { warn: (_object: unknown, message: string) => void warnings.push(message) };
    const mirror = new ProgressFileMirror(counting, logger as never, metrics);
    return { mirror, writes, warnings, metrics };
  }

  function newDir(): string {
    const dir = mkdtempSync(join(tmpdir(), "mirror-"));
    dirs.push(dir);
    return dir;
  }

  const depthInFile = (dir: string, userId: string) => JSON.parse(readFileSync(progressFilePath(dir, userId), "utf8")).steps[2].data.research_depth;

  it("writes nothing before the caller's turn ends, then the newest record; saves in between coalesce", async () => {
    const dir = newDir();
    const { mirror, writes } = mirrorIn(dir);
    mirror.copy(recordAt("user_a", "2026-01-01T00:00:01.000Z", "Basic"));
    mirror.copy(recordAt("user_a", "2026-01-01T00:00:02.000Z", "Standard"));
    mirror.copy(recordAt("user_a", "2026-01-01T00:00:03.000Z", "Expert"));
    expect(writes).toEqual([]);
    await mirror.settled();
    expect(writes).toEqual(["2026-01-01T00:00:03.000Z"]);
    expect(depthInFile(dir, "user_a")).toBe("Expert");
  });

  it("never lets an older record that arrives late replace a newer one waiting", async () => {
    const dir = newDir();
    const { mirror } = mirrorIn(dir);
    mirror.copy(recordAt("user_b", "2026-01-01T00:00:05.000Z", "Comprehensive"));
    mirror.copy(recordAt("user_b", "2026-01-01T00:00:04.000Z", "Basic"));
    await mirror.settled();
    expect(depthInFile(dir, "user_b")).toBe("Comprehensive");
  });

  it("removes the file after the copy being written, and says when it is gone", async () => {
    const dir = newDir();
    const { mirror } = mirrorIn(dir);
    mirror.copy(recordAt("user_c", "2026-01-01T00:00:01.000Z", "Basic"));
    await mirror.remove("user_c");
    expect(() => readFileSync(progressFilePath(dir, "user_c"))).toThrow(/ENOENT/);
  });

  it("counts and logs a copy it cannot write, and goes on with other users", async () => {
    const dir = newDir();
    const blocked = join(dir, "a-file");
    writeFileSync(blocked, "not a folder");
    const { mirror, metrics, warnings } = mirrorIn(join(blocked, "progress"));
    mirror.copy(recordAt("user_d", "2026-01-01T00:00:01.000Z", "Basic"));
    await mirror.settled();
    expect(metrics.snapshot().file_write_failures).toBe(1);
    expect(warnings.join("\n")).toMatch(/reconcile --fix/);
  });

  it("serialises two ids of one file name: the first to ask owns it, the other's every write is refused and counted", async () => {
    const dir = newDir();
    const { mirror, metrics, writes } = mirrorIn(dir);
    mirror.copy(recordAt("user.e", "2026-01-01T00:00:01.000Z", "Basic"));
    mirror.copy(recordAt("user_e", "2026-01-01T00:00:01.000Z", "Expert"));
    await mirror.settled();
    // Both were tried, one after the other; only the first was written.
    expect(writes).toHaveLength(2);
    expect(metrics.snapshot().file_write_failures).toBe(1);
    const owner = () => JSON.parse(readFileSync(progressFilePath(dir, "user_e"), "utf8")).user_id;
    expect(owner()).toBe("user.e");
    mirror.copy(recordAt("user_e", "2026-01-01T00:00:02.000Z", "Expert"));
    await mirror.settled();
    // Nor may the other id erase the owner's file.
    await mirror.remove("user_e");
    expect(metrics.snapshot().file_write_failures).toBe(3);
    expect([owner(), depthInFile(dir, "user.e")]).toEqual(["user.e", "Basic"]);
    // A fresh mirror (a restart) reads the owner the file stores.
    const restarted = mirrorIn(dir);
    restarted.mirror.copy(recordAt("user_e", "2026-01-01T00:00:03.000Z", "Expert"));
    await restarted.mirror.settled();
    expect(restarted.metrics.snapshot().file_write_failures).toBe(1);
    expect(depthInFile(dir, "user.e")).toBe("Basic");
  });
});
