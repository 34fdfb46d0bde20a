import { readdir } from "node:fs/promises";
import { join } from "node:path";
import { PROGRESS_FILE_PATTERN } from "../../storage/progress-file-name.js";

export interface ProgressFileEntry {
  /** The file name, e.g. `.onboarding_progress_user_2abc.json`. */
  readonly name: string;
  readonly path: string;
  /**
   * The sanitised user id the name holds (the user id itself when it had nothing to sanitise);
   * undefined for a name shortened with a hash, which holds only the start of one.
   */
  readonly nameId: string | undefined;
}

/** Every progress file in `dir`, in name order so that reports and batches are reproducible. */
export async function listProgressFiles(dir: string): Promise<ProgressFileEntry[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new Error(`progress folder ${dir} does not exist`, { cause: error });
    throw error;
  }
  const entries: ProgressFileEntry[] = [];
  for (const name of names.sort()) {
    const match = PROGRESS_FILE_PATTERN.exec(name);
    if (match !== null) entries.push({ name, path: join(dir, name), nameId: match[2] === undefined ? match[1] : undefined });
  }
  return entries;
}
