import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, rmSync, watch } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { SecretCipher } from "../../crypto/secret-cipher.js";
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from "../../test-support/test-database.js";
import { cliEnv, needsReachableDatabase, runUntilPausedThenKill } from "../cli-test-support.js";
import { registerRestoreFilesCommand } from "../commands/restore-files-command.js";
import { registerRetireFilesCommand } from "../commands/retire-files-command.js";
import { runTestCommand } from "../shared/command-test-runner.js";
import { checkArchive } from "./read-archive.js";
import { folderBytes, seedDualDeployment } from "./retirement-fixture.js";

const REPOSITORY = fileURLToPath(new URL("../../../", import.meta.url));

/**
 * Starts retire-files as its own process and, `ms` after its temporary archive appears (the
 * start of its writing: what comes before only reads), kills it with SIGKILL unless it ended.
 * Gives back how long it ran after that moment.
 */
function runAndKillAfterArchiveStarts(args: readonly string[], env: Record<string, string>, archive: string, ms: number): Promise<number> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], { cwd: REPOSITORY, env: { PATH: process.env.PATH ?? "", ...env }, stdio: "ignore" });
  let started: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  const watcher = watch(dirname(archive), (_event, name) => {
    if (started !== undefined || name !== `${basename(archive)}.partial`) return;
    started = performance.now();
    if (Number.isFinite(ms)) timer = setTimeout(() => child.kill("SIGKILL"), ms);
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", () => {
      clearTimeout(timer);
      watcher.close();
      resolve(started === undefined ? 0 : performance.now() - started);
    });
  });
}

describe.each(TEST_DIALECTS)("retire-files killed with kill -9 on %s", async (dialect) => {
  const probe = await openTestDatabase(dialect);
  const skip = needsReachableDatabase(probe);
  await probe.cleanup();
  let test: TestDatabase;
  afterEach(() => test.cleanup());

  async function deployment(users: number) {
    test = await openTestDatabase(dialect);
    const key = randomBytes(32).toString("base64");
    const cipher = SecretCipher.fromBase64(key);
    const dir = join(test.tempDir, "progress");
    await seedDualDeployment(test.database, cipher, dir, Array.from({ length: users }, (_, i) => `user_${i}`));
    const archive = join(test.tempDir, "retired.tar.gz");
    const env = cliEnv(test, { ENCRYPTION_KEY: key, STORAGE_MODE: "dual", PROGRESS_DIR: dir });
    return { cipher, dir, archive, env, original: folderBytes(dir) };
  }

  type Deployment = Awaited<ReturnType<typeof deployment>>;

  /** Never half the files gone without a complete archive; no file ever altered. */
  async function expectSafe({ dir, archive, original }: Deployment): Promise<void> {
    const present = existsSync(dir) ? folderBytes(dir) : new Map<string, Buffer>();
    for (const [name, bytes] of present) expect(bytes, name).toEqual(original.get(name));
    if (present.size === original.size) return;
    const check = await checkArchive(archive);
    expect(check.ok, "files are gone, so the archive must be complete").toBe(true);
    if (check.ok) expect(check.manifest.files.map((file) => file.file)).toEqual([...original.keys()]);
  }

  /** A rerun finishes the job, and the archive restores every file byte for byte. */
  async function expectRerunFinishes(setup: Deployment): Promise<void> {
    const run = (register: typeof registerRetireFilesCommand, args: string[]) =>
      runTestCommand(register, [...args, "--archive", setup.archive, "--json"], { database: test.database, cipher: setup.cipher, env: { PROGRESS_DIR: setup.dir } });
    const rerun = await run(registerRetireFilesCommand, ["retire-files"]);
    expect(rerun.exitCode, rerun.stdout + rerun.stderr).toBe(0);
    expect(JSON.parse(rerun.stdout)).toMatchObject({ complete: true, archived_files: setup.original.size });
    expect(readdirSync(setup.dir)).toEqual([]);
    expect(existsSync(`${setup.archive}.partial`)).toBe(false);
    expect((await run(registerRestoreFilesCommand, ["restore-files"])).exitCode).toBe(0);
    expect(folderBytes(setup.dir)).toEqual(setup.original);
  }

  it.skipIf(skip !== undefined).each(["archive-written", "archive-verified", "archive-in-place", "removed-1", "removed-3", "removed-all"])(
    "at %s leaves every file in place or a complete archive, and a rerun finishes",
    async (point) => {
      const setup = await deployment(5);
      await runUntilPausedThenKill(["retire-files", "--archive", setup.archive], { ...setup.env, RETIRE_FILES_PAUSE_AT: point }, point);
      await expectSafe(setup);
      const removed = setup.original.size - (existsSync(setup.dir) ? readdirSync(setup.dir).length : 0);
      // Removals run several at a time: at removed-<n>, n are done and a few more may have finished meanwhile.
      if (point.startsWith("removed-") && point !== "removed-all") expect(removed).toBeGreaterThanOrEqual(Number(point.slice(8)));
      else expect(removed).toBe(point === "removed-all" ? 5 : 0);
      await expectRerunFinishes(setup);
    },
    60_000,
  );

  it.skipIf(skip !== undefined || dialect !== "sqlite")(
    "at moments spread over a whole run leaves every file in place or a complete archive, and a rerun finishes",
    async () => {
      const setup = await deployment(300);
      // One run to the end says how long its writing part takes here; the kills spread over it.
      const whole = await runAndKillAfterArchiveStarts(["retire-files", "--archive", setup.archive], setup.env, setup.archive, Infinity);
      expect(whole).toBeGreaterThan(0);
      await expectRerunFinishes(setup);
      for (const fraction of [0, 0.15, 0.3, 0.45, 0.55, 0.65, 0.75, 0.85]) {
        rmSync(setup.archive);
        await runAndKillAfterArchiveStarts(["retire-files", "--archive", setup.archive], setup.env, setup.archive, Math.round(whole * fraction));
        await expectSafe(setup);
        const left = existsSync(setup.dir) ? readdirSync(setup.dir).length : 0;
        const archive = existsSync(setup.archive) ? "in place" : existsSync(`${setup.archive}.partial`) ? "partial" : "absent";
        console.log(`killed at ${Math.round(fraction * 100)} % of the ${Math.round(whole)} ms of writing and removing: ${left} of 300 files left, archive ${archive}`);
        await expectRerunFinishes(setup);
      }
    },
    180_000,
  );

});
