import { createHash } from "node:crypto";
import { link, mkdir, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { tempFilePath } from "../../storage/progress-temp-files.js";
import { checkArchive } from "../retire-files/read-archive.js";
import { syncFile } from "../retire-files/write-archive.js";
import type { RestoreReport } from "./restore-report.js";

export interface RestoreOptions {
  readonly archive: string;
  readonly dir: string;
  readonly onProgress?: (done: number, total: number) => void;
}

type Placed = "restored" | "already_in_place" | "kept_newer";

/**
 * Puts the files of an archive of retire-files back into `dir`, byte for byte as archived (and
 * with their archived modification times). The whole archive is checked first, so a damaged
 * one writes nothing. A file already there is never replaced: the same bytes count as restored
 * before (a re-run), other bytes as a newer file, which is reported.
 */
export async function restoreFiles(options: RestoreOptions): Promise<RestoreReport> {
  const base = { archive: options.archive, dir: options.dir, restored: 0, already_in_place: 0, kept_newer: [] as string[] };
  const check = await checkArchive(options.archive);
  if (!check.ok) return { ...base, refused: `${options.archive} is not a complete archive of retire-files: ${check.problem}`, files: 0 };
  const total = check.manifest.files.length;
  await mkdir(options.dir, { recursive: true });
  let done = 0;
  const second = await checkArchive(options.archive, async (file, bytes, mtime) => {
    const placed = await place(options.dir, file.file, bytes, mtime);
    if (placed === "kept_newer") base.kept_newer.push(file.file);
    else base[placed]++;
    options.onProgress?.(++done, total);
  });
  if (!second.ok) return { ...base, refused: `${options.archive} changed while it was read: ${second.problem}`, files: total };
  await syncFile(options.dir);
  return { ...base, refused: null, files: total };
}

/** A temp file linked to the final name: link fails when a file appeared there meanwhile, so none is ever replaced. */
async function place(dir: string, name: string, bytes: Uint8Array, mtime: Date | undefined): Promise<Placed> {
  const path = join(dir, name);
  const existing = await readFile(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return null;
    throw error;
  });
  if (existing !== null) return sameBytes(existing, bytes) ? "already_in_place" : "kept_newer";
  const temp = tempFilePath(dir);
  try {
    await writeFile(temp, bytes, { mode: 0o600 });
    if (mtime !== undefined) await utimes(temp, mtime, mtime);
    await link(temp, path);
    return "restored";
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return sameBytes(await readFile(path), bytes) ? "already_in_place" : "kept_newer";
    throw error;
  } finally {
    await rm(temp, { force: true });
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return createHash("sha256").update(a).digest("hex") === createHash("sha256").update(b).digest("hex");
}
