import { closeSync, fstatSync, openSync, readFileSync } from "node:fs";
import { open } from "node:fs/promises";
import { join } from "node:path";
import { create, WriteEntry } from "tar";
import { MANIFEST_ENTRY, type ArchiveManifest } from "./archive-manifest.js";

/** gzip level: 1 compresses indented JSON to a fifth already, at several times level 6's speed. */
const GZIP_LEVEL = 1;

/**
 * Writes `path` (mode 0600: it holds users' data): the manifest first, then each file of the
 * manifest as it is on disk in `dir`, with its mode and modification time; then fsync, so that
 * the archive is on disk before it is checked, renamed into place, and any file is removed.
 */
export async function writeArchive(path: string, dir: string, manifest: ArchiveManifest, onFile?: () => void): Promise<void> {
  await create({ file: path, mode: 0o600, gzip: { level: GZIP_LEVEL }, strict: true }, [archiveEntries(dir, manifest, onFile)]);
  await syncFile(path);
}

/**
 * The entries, each file read here whole (they are small) and handed to node-tar from memory:
 * three times the files/s of letting it open and stat each path itself. A file that changed
 * since the scan gets in as it is now, and the read-back check against the manifest refuses it.
 */
async function* archiveEntries(dir: string, manifest: ArchiveManifest, onFile?: () => void): AsyncGenerator<WriteEntry> {
  yield new WriteEntry({ path: MANIFEST_ENTRY, mode: 0o600, mtime: new Date(manifest.created_at) }, `${JSON.stringify(manifest, null, 2)}\n`);
  for (const file of manifest.files) {
    const fd = openSync(join(dir, file.file), "r");
    try {
      const bytes = readFileSync(fd);
      const stats = fstatSync(fd);
      yield new WriteEntry({ path: file.file, mode: stats.mode & 0o7777, mtime: stats.mtime }, bytes);
    } finally {
      closeSync(fd);
    }
    onFile?.();
  }
}

export async function syncFile(path: string): Promise<void> {
  const handle = await open(path, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
