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
  return (await listProgressFileNames(dir)).map((name) => progressFileEntry(dir, name));
}

/**
 * The names alone, in the same order: for 100,000 files an entry object and a path each come to
 * tens of megabytes more that survive every young-generation collection of a long scan, and V8
 * grows the young generation by what survives. A scan makes each batch's entries as it reads it.
 */
export async function listProgressFileNames(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new Error(`progress folder ${dir} does not exist`, { cause: error });
    throw error;
  }
  return names.filter((name) => PROGRESS_FILE_PATTERN.test(name)).sort();
}

/** The entry of a name `listProgressFileNames` gave. */
export function progressFileEntry(dir: string, name: string): ProgressFileEntry {
  const match = PROGRESS_FILE_PATTERN.exec(name);
  return { name, path: join(dir, name), nameId: match?.[2] === undefined ? match?.[1] : undefined };
}
