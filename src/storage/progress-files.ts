import { mkdir, rm } from "node:fs/promises";
import type { OnboardingRecord } from "../onboarding/onboarding-record.js";
import { readTextOrNull, writeFileAtomically } from "./atomic-file.js";
import { decodeProgressFile, encodeProgressFile, type DecodedProgressFile } from "./progress-file-format.js";
import { progressFilePath } from "./progress-file-name.js";
import { FileCollision } from "./storage-errors.js";
import type { FileStorageMode, StepPersistence } from "./step-persistence.js";

/** Past this many, the files known to be ours are forgotten (each is read once more before its next write). */
const MAX_OWN_FILES = 100_000;

/** The progress files in one folder: read tolerantly, written atomically, never another user's. */
export class ProgressFiles {
  readonly dir: string;
  readonly #steps: readonly StepPersistence[];
  readonly #mode: FileStorageMode;
  /**
   * File name -> the user id this process wrote it for: that id's next copy needs no ownership
   * read, and any other id that maps to the same name is refused without one (decision 0019).
   */
  readonly #owners = new Map<string, string>();
  #folder: Promise<unknown> | undefined;

  constructor(dir: string, steps: readonly StepPersistence[], mode: FileStorageMode) {
    this.dir = dir;
    this.#steps = steps;
    this.#mode = mode;
  }

  pathOf(userId: string): string {
    return progressFilePath(this.dir, userId);
  }

  /** The user's file, or null when there is none; FileCollision when it is another user's. */
  async read(userId: string): Promise<DecodedProgressFile | null> {
    const path = this.pathOf(userId);
    const text = await readTextOrNull(path);
    if (text === null) return null;
    const decoded = decodeProgressFile(text, path, userId, this.#steps);
    if (decoded.storedUserId !== undefined && decoded.storedUserId !== userId) throw new FileCollision(path);
    return decoded;
  }

  /**
   * Temp file, fsync, rename: a crash leaves the old file or the new one, never half of one (and
   * a temp file, which the next start removes: see progress-temp-files.ts). For the only copy
   * (`file` mode) and for repairs.
   */
  async write(record: OnboardingRecord): Promise<void> {
    const path = this.pathOf(record.userId);
    await this.#refuseForeignFile(path, record.userId);
    await writeFileAtomically(path, progressFileText(encodeProgressFile(record, this.#steps, this.#mode)));
  }

  /**
   * `dual` mode's rollback copy, written after the database committed (decision 0015): atomic
   * as `write`, without the fsync; the folder is made once, and a user's file is read for its
   * owner only before this process first writes it.
   */
  async writeCopy(record: OnboardingRecord): Promise<void> {
    const path = this.pathOf(record.userId);
    const owner = this.#owners.get(path);
    if (owner !== undefined && owner !== record.userId) throw new FileCollision(path);
    if (owner === undefined) await this.#refuseForeignFile(path, record.userId);
    this.#folder ??= mkdir(this.dir, { recursive: true }).catch((error: unknown) => {
      this.#folder = undefined;
      throw error;
    });
    await this.#folder;
    await writeFileAtomically(path, progressFileText(encodeProgressFile(record, this.#steps, this.#mode)), { durable: false, folderExists: true });
    if (this.#owners.size >= MAX_OWN_FILES) this.#owners.clear();
    this.#owners.set(path, record.userId);
  }

  async remove(userId: string): Promise<boolean> {
    const path = this.pathOf(userId);
    await this.#refuseForeignFile(path, userId);
    if (this.#owners.get(path) === userId) this.#owners.delete(path);
    const existed = (await readTextOrNull(path)) !== null;
    await rm(path, { force: true });
    return existed;
  }

  /**
   * Only the stored id counts here: a damaged file of ours may be overwritten, another user's
   * never. Read with a pattern, not JSON.parse, so that a truncated file still tells its owner.
   */
  async #refuseForeignFile(path: string, userId: string): Promise<void> {
    const text = await readTextOrNull(path);
    if (text === null) return;
    const storedUserId = topLevelString(text, "user_id");
    if (storedUserId !== undefined && storedUserId !== userId) throw new FileCollision(path);
  }
}

function topLevelString(text: string, key: string): string | undefined {
  const match = new RegExp(`\\n  "${key}"\\s*:\\s*("(?:[^"\\\\]|\\\\.)*")`).exec(text)?.[1];
  return match === undefined ? undefined : (JSON.parse(match) as string);
}

/** How every progress file is laid out: indented JSON (2 spaces), as the old platform wrote it. */
export function progressFileText(file: object): string {
  return JSON.stringify(file, null, 2) + "\n";
}
