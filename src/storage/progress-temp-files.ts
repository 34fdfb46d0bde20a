import { createHash, randomBytes } from "node:crypto";
import { readdir, rm, stat } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";

/**
 * A progress file is written to a temp file first, then renamed over the old one. A process
 * killed in between (SIGKILL, OOM, power loss) leaves the temp file behind; the next start
 * removes it. Temp names are short whatever the user id (a progress-file name may already take
 * all 255 bytes) and say who wrote them: `.onboarding_progress.<host>-<pid>.<random>.tmp`, where
 * <host> is the start of the SHA-256 of the host name, so that instances of several hosts or
 * containers may share one folder.
 */
export const THIS_HOST = createHash("sha256").update(hostname()).digest("hex").slice(0, 8);

/** This change's names, and those before it (`<progress file>.<pid>.<random>.tmp`, which carry no host). */
const TEMP_FILE = /^\.onboarding_progress(?:_[A-Za-z0-9_.-]*\.json)?\.(?:([0-9a-f]{8})-)?(\d+)\.[0-9a-f]{12}\.tmp$/;

/** A write takes milliseconds; a temp file this old is abandoned, whoever wrote it. */
const ABANDONED_AFTER_MS = 15 * 60_000;

export function tempFilePath(dir: string): string {
  return join(dir, `.onboarding_progress.${THIS_HOST}-${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
}

/**
 * Removes the temp files of writes that can no longer finish: written on this host by a process
 * that has ended, or older than 15 minutes. A write in flight (this host and a running process,
 * or another host and recent) keeps its file. Names from before the host tag count as this host's.
 * Returns the names removed.
 */
export async function removeAbandonedTempFiles(dir: string): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await namesIn(dir)) {
    const match = TEMP_FILE.exec(name);
    if (match === null) continue;
    const [, host = THIS_HOST, pid] = match;
    const path = join(dir, name);
    if ((host === THIS_HOST && !isRunning(Number(pid))) || (await ageOf(path)) > ABANDONED_AFTER_MS) {
      await rm(path, { force: true });
      removed.push(name);
    }
  }
  return removed;
}

async function namesIn(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another OS user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function ageOf(path: string): Promise<number> {
  try {
    return Date.now() - (await stat(path)).mtimeMs;
  } catch {
    return 0; // gone meanwhile: renamed by its writer, or removed by another instance
  }
}
