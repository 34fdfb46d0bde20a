import { Worker } from "node:worker_threads";

/**
 * A file's text, or why it could not be read. With `digest`, also its size in bytes, the
 * SHA-256 of those bytes (hex) and its modification time, all of the one open file: what an
 * archive's manifest records, and what tells later whether the file is still the one read.
 */
export type FileText =
  | { readonly text: string; readonly size?: number; readonly sha256?: string; readonly mtimeMs?: number }
  | { readonly error: string };

export interface ReadAheadOptions {
  /** Batches read before they are asked for; 4 by default. */
  readonly ahead?: number;
  /** Give each file's size and SHA-256 beside its text. */
  readonly digest?: boolean;
  /**
   * The folder the batches' names are in, joined to each name by the thread: a caller with
   * 100,000 files then keeps their names only, not a path string each as well.
   */
  readonly dir?: string;
}

/** Plain JavaScript, so that it runs the same under tsx, vitest and the compiled build. */
const WORKER_SOURCE = `
import { parentPort } from "node:worker_threads";
import { closeSync, fstatSync, openSync, readFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
parentPort.on("message", ({ paths, dir, digest }) => {
  parentPort.postMessage(paths.map((name) => {
    const path = dir === undefined ? name : join(dir, name);
    try {
      if (!digest) return { text: readFileSync(path, "utf8") };
      const fd = openSync(path, "r");
      try {
        const bytes = readFileSync(fd);
        const mtimeMs = fstatSync(fd).mtimeMs;
        return { text: bytes.toString("utf8"), size: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex"), mtimeMs };
      } finally {
        closeSync(fd);
      }
    } catch (error) {
      return { error: error instanceof Error ? error.message : String(error) };
    }
  }));
});
`;

/**
 * Yields the texts of each batch of paths, in order, read by a worker thread at most `ahead`
 * batches before they are asked for: the disk works while the caller writes the database, and
 * memory holds a few batches whatever the number of files. The worker reads synchronously:
 * for small files that costs a fraction of what promise-based reads cost in calls and promises.
 */
export async function* readTextsAhead(batches: readonly (readonly string[])[], options: ReadAheadOptions = {}): AsyncGenerator<FileText[]> {
  const ahead = options.ahead ?? 4;
  const digest = options.digest === true;
  if (batches.length === 0) return;
  // No execArgv: the worker runs plain JavaScript and needs no loader (tsx would cost it ~100 ms to start).
  const worker = new Worker(new URL(`data:text/javascript,${encodeURIComponent(WORKER_SOURCE)}`), { execArgv: [] });
  const waiting: { resolve: (texts: FileText[]) => void; reject: (error: unknown) => void }[] = [];
  const failAll = (error: unknown) => {
    for (const { reject } of waiting.splice(0)) reject(error);
  };
  worker.on("message", (texts: FileText[]) => waiting.shift()?.resolve(texts));
  worker.on("error", failAll);
  worker.on("exit", (code) => failAll(new Error(`the file reading thread stopped (exit code ${code})`)));
  const request = (paths: readonly string[]): Promise<FileText[]> => {
    const reply = new Promise<FileText[]>((resolve, reject) => waiting.push({ resolve, reject }));
    // Awaited in turn below; this only keeps a failure of a batch not yet awaited from counting as unhandled.
    reply.catch(() => undefined);
    worker.postMessage({ paths, dir: options.dir, digest });
    return reply;
  };
  try {
    // A queue, not an array of every reply: a batch's texts are let go once yielded.
    const inFlight = batches.slice(0, Math.max(1, ahead)).map(request);
    let nextBatch = inFlight.length;
    while (inFlight.length > 0) {
      const texts = await inFlight.shift()!;
      if (nextBatch < batches.length) inFlight.push(request(batches[nextBatch++]!));
      yield texts;
    }
  } finally {
    worker.removeAllListeners("exit");
    await worker.terminate();
  }
}
