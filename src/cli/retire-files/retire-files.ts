import { existsSync, type Stats } from "node:fs";
import { lstat, rename, rm, unlink } from "node:fs/promises";
import { dirname, join } from "node:path";
import { checkMigrationStatus, type MigrationStatusOptions } from "../migration-status/migration-status.js";
import type { ScannedFile } from "../reconcile/scan-progress-folder.js";
import { newManifest, sameManifest, type ArchiveManifest, type ManifestFile } from "./archive-manifest.js";
import { checkArchive } from "./read-archive.js";
import type { RetirePause } from "./retire-pause.js";
import type { KeptFile, RetireReport } from "./retire-report.js";
import { syncFile, writeArchive } from "./write-archive.js";

export type RetirePhase = "scan" | "archive" | "remove";

export interface RetireOptions extends Omit<MigrationStatusOptions, "digest" | "onProgress"> {
  readonly archive: string;
  readonly dryRun: boolean;
  readonly pause?: RetirePause;
  readonly onProgress?: (phase: RetirePhase, done: number, total: number) => void;
}

/**
 * Archives every progress file and removes them, only when migration-status (checked here, not
 * trusted from an earlier run) says the move is finished. Order, so that a kill at any point
 * leaves every file in place or a complete archive: archive under a temporary name, fsync, read
 * back and check against the manifest, rename into place, then remove. A run that finds an
 * archive by that name checks it and finishes removing the files it holds, as they are in it.
 */
export async function retireFiles(options: RetireOptions): Promise<RetireReport> {
  const pause = options.pause ?? (() => undefined);
  const { report: status, scan } = await checkMigrationStatus({ ...options, digest: true, onProgress: (done, total) => options.onProgress?.("scan", done, total) });
  const base = { dir: options.dir, archive: options.archive, dry_run: options.dryRun, status, resumed: false, removed: 0, already_gone: 0, kept: [] };
  const refuse = (reason: string, archived = 0): RetireReport => ({ ...base, refused: reason, archived_files: archived, archived_bytes: 0, complete: false });
  if (!status.ready_to_retire_files) return refuse("migration-status is not ready; fix each blocker above first");
  const resumed = existsSync(options.archive);
  let manifest: ArchiveManifest;
  if (resumed) {
    const found = await archiveToFinish(options.archive, scan.scanned);
    if (typeof found === "string") return refuse(found);
    manifest = found;
  } else {
    manifest = newManifest(options.dir, scan.scanned.map(manifestFileOf), new Date());
  }
  const archivedBytes = manifest.files.reduce((sum, file) => sum + file.size, 0);
  const done = { ...base, refused: null, resumed, archived_files: manifest.files.length, archived_bytes: archivedBytes };
  if (options.dryRun) return { ...done, complete: false };
  if (!resumed) {
    const problem = await archiveInPlace(options, manifest, pause);
    if (problem !== undefined) return refuse(problem);
  }
  const removal = await removeArchivedFiles(options, manifest.files, scan.scanned, pause);
  return { ...done, ...removal, complete: removal.kept.length === 0 };
}

function manifestFileOf(file: ScannedFile): ManifestFile {
  // A ready folder has an owner for every file and read them all: the scan's digest is there.
  return { file: file.name, user_id: file.owner!, size: file.size!, sha256: file.sha256! };
}

/** The archive a run before this one left, if it is complete and holds every file still here as it is. */
async function archiveToFinish(archive: string, scanned: readonly ScannedFile[]): Promise<ArchiveManifest | string> {
  const check = await checkArchive(archive);
  if (!check.ok) return `${archive} exists and is not a complete archive of retire-files (${check.problem}); name another archive`;
  const archived = new Map(check.manifest.files.map((file) => [file.file, file]));
  const other = scanned.find((file) => archived.get(file.name)?.sha256 !== file.sha256);
  if (other !== undefined) return `${archive} exists and does not hold ${other.name} as it is now; name another archive for the files left`;
  return check.manifest;
}

async function archiveInPlace(options: RetireOptions, manifest: ArchiveManifest, pause: RetirePause): Promise<string | undefined> {
  const temp = `${options.archive}.partial`;
  // A run killed before the rename left its temporary archive: it was never trusted, start again.
  await rm(temp, { force: true });
  let written = 0;
  await writeArchive(temp, options.dir, manifest, () => options.onProgress?.("archive", ++written, manifest.files.length + 1));
  pause("archive-written");
  const check = await checkArchive(temp);
  if (!check.ok || !sameManifest(check.manifest, manifest)) {
    await rm(temp, { force: true });
    const why = check.ok ? "its manifest is not the one written" : check.problem;
    return `the archive written did not read back as written (${why}): a file may have changed while it was archived; are servers still writing files?`;
  }
  pause("archive-verified");
  await rename(temp, options.archive);
  await syncFile(dirname(options.archive) === "" ? "." : dirname(options.archive));
  pause("archive-in-place");
  return undefined;
}

/**
 * Removes each archived file that is still the one this run read (same size and modification
 * time as its open file had when its bytes, equal to the archive's, were read); a file changed
 * or put there since stays, reported. A stat, not a second read: a rewrite renames a new file in.
 * The n-th removal pauses the kill test's hook; removals already under way may finish meanwhile.
 */
async function removeArchivedFiles(
  options: RetireOptions,
  files: readonly ManifestFile[],
  scanned: readonly ScannedFile[],
  pause: RetirePause,
): Promise<{ removed: number; already_gone: number; kept: KeptFile[] }> {
  const read = new Map(scanned.map((file) => [file.name, file]));
  const kept: KeptFile[] = [];
  let removed = 0;
  let alreadyGone = 0;
  let done = 0;
  let next = 0;
  const removeOne = async (file: ManifestFile) => {
    const path = join(options.dir, file.file);
    const now = await statOrNull(path);
    const seen = read.get(file.file);
    if (now === null) alreadyGone++;
    else if (seen === undefined || now.size !== seen.size || now.mtimeMs !== seen.mtimeMs) {
      kept.push({ file: file.file, reason: "it changed after it was read and archived; the archive holds it as it was" });
    } else {
      await unlink(path);
      removed++;
      pause(`removed-${removed}`);
    }
    if (++done % PROGRESS_EVERY === 0 || done === files.length) options.onProgress?.("remove", done, files.length);
  };
  // Several at a time: on a settled disk an unlink waits for the journal, and waits overlap (16 at once: about 3 times the files/s of one).
  await Promise.all(
    Array.from({ length: CONCURRENT_REMOVALS }, async () => {
      while (next < files.length) await removeOne(files[next++]!);
    }),
  );
  if (existsSync(options.dir)) await syncFile(options.dir);
  pause("removed-all");
  return { removed, already_gone: alreadyGone, kept };
}

const PROGRESS_EVERY = 500;
const CONCURRENT_REMOVALS = 16;

async function statOrNull(path: string): Promise<Stats | null> {
  try {
    return await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}
