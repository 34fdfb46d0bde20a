import { Worker, type WorkerOptions } from "node:worker_threads";

/**
 * Whether this process runs our TypeScript sources (under tsx or vitest) rather than the compiled
 * `.js` in dist: this module's own file tells, and every module of ours is the same kind.
 */
const RUNS_FROM_SOURCE = import.meta.url.endsWith(".ts");

/**
 * Registers tsx in a worker thread: on Node 20, tsx's own `--import tsx` registers its loader on
 * the main thread only, and a worker does not inherit the main thread's loader.
 */
const REGISTER_TSX = new URL("./register-tsx.mjs", import.meta.url);

/**
 * Starts a worker thread on one of our modules, given by its `.js` URL as an import would name it
 * (`new URL("./some-thread.js", import.meta.url)`): the compiled file in dist, or, when running
 * from source, the `.ts` beside it, loaded through tsx.
 */
export function startWorkerModule(moduleUrl: URL, options: Omit<WorkerOptions, "execArgv">): Worker {
  if (!RUNS_FROM_SOURCE) return new Worker(moduleUrl, options);
  const source = new URL(moduleUrl.href.replace(/\.js$/, ".ts"));
  return new Worker(source, { ...options, execArgv: ["--import", REGISTER_TSX.href] });
}
