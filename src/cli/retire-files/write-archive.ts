import { open } from "node:fs/promises";
import { create, WriteEntry } from "tar";
import { MANIFEST_ENTRY, type ArchiveManifest } from "./archive-manifest.js";

/** gzip level: 1 compresses indented JSON to a fifth already, at several times level 6's speed. */
const GZIP_LEVEL = 1;

/**
 * Writes `path` (mode 0600: it holds users' data): the manifest first, then each file of the
 * manifest as it is on disk in `dir`, read by node-tar; then fsync, so that the archive is on
 * disk before it is checked, renamed into place, and any file is removed.
 */
export async function writeArchive(path: string, dir: string, manifest: ArchiveManifest, onFile?: () => void): Promise<void> {
  const manifestEntry = new WriteEntry({ path: MANIFEST_ENTRY, mode: 0o600, mtime: new Date(manifest.created_at) }, `${JSON.stringify(manifest, null, 2)}\n`);
  await create(
    {
      file: path,
      mode: 0o600,
      cwd: dir,
      gzip: { level: GZIP_LEVEL },
      strict: true,
      onWriteEntry: () => onFile?.(),
    },
    [manifestEntry, ...manifest.files.map((file) => file.file)],
  );
  await syncFile(path);
}

export async function syncFile(path: string): Promise<void> {
  const handle = await open(path, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
