import { mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";
import { tempFilePath } from "./progress-temp-files.js";

export interface AtomicWriteOptions {
  /**
   * Replace the file only if it still holds exactly this text right before the rename (a
   * writer of another process came in between otherwise); the temp file is then dropped.
   */
  readonly onlyIfStill?: string;
  /**
   * Whether the new text must be on disk before the rename (fsync): true where the file is the
   * only copy. A copy the database can rebuild skips it (decision 0015).
   */
  readonly durable?: boolean;
  /** The folder exists already (a writer that made it once): no mkdir per write. */
  readonly folderExists?: boolean;
}

/**
 * Temp file (mode 0600), fsync (unless not `durable`), rename: a crash of the process leaves
 * the old file or the new one, never half of one. Returns false when `onlyIfStill` did not hold and nothing was replaced.
 */
export async function writeFileAtomically(path: string, text: string, options: AtomicWriteOptions = {}): Promise<boolean> {
  if (options.folderExists !== true) await mkdir(dirname(path), { recursive: true });
  // A short name of its own (the final name may take all 255 bytes), which the next start cleans up if a kill leaves it.
  const temp = tempFilePath(dirname(path));
  const handle = await open(temp, "w", 0o600);
  try {
    await handle.writeFile(text, "utf8");
    if (options.durable !== false) await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    if (options.onlyIfStill !== undefined && (await readTextOrNull(path)) !== options.onlyIfStill) {
      await rm(temp, { force: true });
      return false;
    }
    await rename(temp, path);
    return true;
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

export async function readTextOrNull(path: string): Promise<string | null> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}
