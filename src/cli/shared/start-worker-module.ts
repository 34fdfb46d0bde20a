import { Worker, type WorkerOptions } from "node:worker_threads";

/**
 * Whether this process runs our TypeScript sources (under tsx or vitest) rather than the compiled
 * `.js` in dist: this module's own file tells, and every module of ours is the same kind.
 */
const RUNS_FROM_SOURCE = import.meta.url.endsWith(".ts");

/**
 * Registers tsx in a worker thread. Still needed on Node 24: a worker does not inherit the loader
 * the main thread runs our sources through (vitest's own transform; tsx), and Node's native type
 * stripping loads the `.ts` file but not its `./x.js` imports, which name `.ts` files (checked:
 * without it the sealing thread fails with "Cannot find module …/secret-cipher.js"; decision 0017).
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
