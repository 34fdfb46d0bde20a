import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { stepPersistences } from "../../composition/step-registry.js";
import { DatabaseStore } from "../../storage/database-store.js";
import { progressFilePath } from "../../storage/progress-file-name.js";
import { testCipher } from "../../test-support/sample-steps.js";
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from "../../test-support/test-database.js";
import { registerRestoreFilesCommand } from "../commands/restore-files-command.js";
import { registerRetireFilesCommand } from "../commands/retire-files-command.js";
import { LEGACY_EXAMPLE_TEXT } from "../import-files/import-fixtures.js";
import type { RestoreReport } from "../restore-files/restore-report.js";
import { runTestCommand } from "../shared/command-test-runner.js";
import { MANIFEST_ENTRY, type ArchiveManifest } from "./archive-manifest.js";
import type { RetireReport } from "./retire-report.js";
import { folderBytes, seedDualDeployment } from "./retirement-fixture.js";

const USERS = ["user_a", "user.b", "user_c"];

describe.each(TEST_DIALECTS)("retire-files and restore-files on %s", (dialect) => {
  let test: TestDatabase;
  let dir: string;
  let archive: string;
  const cipher = testCipher();
  beforeEach(async () => {
    test = await openTestDatabase(dialect);
    dir = join(test.tempDir, "progress");
    archive = join(test.tempDir, "retired.tar.gz");
    await seedDualDeployment(test.database, cipher, dir, USERS);
  });
  afterEach(() => test.cleanup());

  const command = async <T>(register: typeof registerRetireFilesCommand, args: string[], env: Record<string, string> = {}) => {
    const run = await runTestCommand(register, [...args, "--json"], { database: test.database, cipher, env: { PROGRESS_DIR: dir, ...env } });
    return { ...run, report: JSON.parse(run.stdout) as T };
  };
  const retire = (...args: string[]) => command<RetireReport>(registerRetireFilesCommand, ["retire-files", "--archive", archive, ...args]);
  const restore = (...args: string[]) => command<RestoreReport>(registerRestoreFilesCommand, ["restore-files", "--archive", archive, ...args]);
  /** Unpacked by the system's own tar: the archive is an ordinary tar.gz. */
  const unpacked = () => {
    const out = join(test.tempDir, `unpacked-${Math.random().toString(16).slice(2)}`);
    mkdirSync(out);
    execFileSync("tar", ["-xzf", archive, "-C", out]);
    return folderBytes(out);
  };

  it("refuses, exit 1 and nothing touched, while migration-status is not ready", async () => {
    writeFileSync(progressFilePath(dir, "user_legacy"), LEGACY_EXAMPLE_TEXT);
    const before = folderBytes(dir);
    const { exitCode, report } = await retire();
    expect(exitCode).toBe(1);
    expect(report.refused).toMatch(/not ready/);
    expect(report.status.blockers.find((b) => b.kind === "files_not_imported")?.count).toBe(1);
    expect(folderBytes(dir)).toEqual(before);
    expect(readdirSync(test.tempDir).filter((name) => name.startsWith("retired"))).toEqual([]);
  });

  it("with --dry-run says what it would archive and writes nothing", async () => {
    const before = folderBytes(dir);
    const { exitCode, report } = await retire("--dry-run");
    expect(exitCode).toBe(0);
    expect(report).toMatchObject({ dry_run: true, refused: null, archived_files: 3, removed: 0, complete: false });
    expect(report.archived_bytes).toBe([...before.values()].reduce((sum, bytes) => sum + bytes.length, 0));
    expect(folderBytes(dir)).toEqual(before);
    expect(existsSync(archive)).toBe(false);
  });

  it("archives every file with its manifest, no plaintext key in it, removes them, and restores them byte for byte", async () => {
    const before = folderBytes(dir);
    const retired = await retire();
    expect(retired.exitCode).toBe(0);
    expect(retired.report).toMatchObject({ refused: null, resumed: false, archived_files: 3, removed: 3, already_gone: 0, kept: [], complete: true });
    expect(readdirSync(dir)).toEqual([]);

    const inArchive = unpacked();
    const manifest = JSON.parse(inArchive.get(MANIFEST_ENTRY)!.toString("utf8")) as ArchiveManifest;
    expect(manifest.files).toEqual(
      [...before].map(([file, bytes]) => ({
        file,
        user_id: USERS.find((user) => progressFilePath(dir, user).endsWith(file)),
        size: bytes.length,
        sha256: createHash("sha256").update(bytes).digest("hex"),
      })),
    );
    for (const [file, bytes] of before) expect(inArchive.get(file)).toEqual(bytes);
    const everything = [...inArchive.values()].map((bytes) => bytes.toString("utf8")).join("\n");
    expect(everything).not.toMatch(/sk-retire-\d{4}/);
    expect(everything).toContain('"openai": "****');
    // The database still serves every user.
    const records = await new DatabaseStore(test.database, stepPersistences(cipher)).readMany(USERS);
    expect([...records.keys()].sort()).toEqual([...USERS].sort());

    const again = await retire();
    expect(again.report).toMatchObject({ resumed: true, removed: 0, already_gone: 3, complete: true });
    expect(again.exitCode).toBe(0);

    const restored = await restore();
    expect(restored.report).toMatchObject({ refused: null, files: 3, restored: 3, already_in_place: 0, kept_newer: [] });
    expect(restored.exitCode).toBe(0);
    expect(folderBytes(dir)).toEqual(before);
    const twice = await restore();
    expect(twice.report).toMatchObject({ restored: 0, already_in_place: 3, kept_newer: [] });
    expect(folderBytes(dir)).toEqual(before);
  });

  it("restores never over a newer file, reporting it, and puts back only what is missing", async () => {
    const before = folderBytes(dir);
    expect((await retire()).exitCode).toBe(0);
    mkdirSync(dir, { recursive: true });
    const newer = progressFilePath(dir, "user_a");
    writeFileSync(newer, "a newer file\n");
    const { report, exitCode } = await restore();
    expect(exitCode).toBe(0);
    expect(report).toMatchObject({ restored: 2, already_in_place: 0, kept_newer: [".onboarding_progress_user_a.json"] });
    expect(readFileSync(newer, "utf8")).toBe("a newer file\n");
    rmSync(progressFilePath(dir, "user_c"));
    expect((await restore()).report).toMatchObject({ restored: 1, already_in_place: 1, kept_newer: [".onboarding_progress_user_a.json"] });
    expect(readFileSync(progressFilePath(dir, "user_c"))).toEqual(before.get(".onboarding_progress_user_c.json"));
  });

  it("refuses an archive name that holds other files, and a damaged archive writes nothing on restore", async () => {
    writeFileSync(archive, "not an archive");
    const before = folderBytes(dir);
    const taken = await retire();
    expect(taken.exitCode).toBe(1);
    expect(taken.report.refused).toMatch(/exists and is not a complete archive of retire-files.*name another archive/);
    expect(folderBytes(dir)).toEqual(before);

    rmSync(archive);
    expect((await retire()).exitCode).toBe(0);
    const bytes = readFileSync(archive);
    writeFileSync(archive, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const damaged = await restore();
    expect(damaged.exitCode).toBe(1);
    expect(damaged.report.refused).toMatch(/not a complete archive/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
