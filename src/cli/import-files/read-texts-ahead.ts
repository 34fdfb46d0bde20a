import { Worker } from "node:worker_threads";

/** A file's text, or why it could not be read. */
export type FileText = { readonly text: string } | { readonly error: string };

/** Plain JavaScript, so that it runs the same under tsx, vitest and the compiled build. */
const WORKER_SOURCE = `
import { parentPort } from "node:worker_threads";
import { readFileSync } from "node:fs";
parentPort.on("message", (paths) => {
  parentPort.postMessage(paths.map((path) => {
    try {
      return { text: readFileSync(path, "utf8") };
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
export async function* readTextsAhead(batches: readonly (readonly string[])[], ahead = 4): AsyncGenerator<FileText[]> {
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
    worker.postMessage(paths);
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
