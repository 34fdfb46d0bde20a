import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { createPostgresBenchDatabase, DEFAULT_POSTGRES_URL, type BenchDatabase } from "./bench-postgres-database.js";
import { generateProgressFiles } from "./import-bench-files.js";
import { jsonLines, positiveOption, runTypeScriptChild } from "./measure-child.js";

const DEFAULT_FILES = 100_000;
const TARGET_FILES_PER_SECOND = 5_000;

interface ChildRun {
  readonly label: string;
  readonly elapsedMs: number;
  /** User + system CPU of the whole process (main thread, file reading thread, SQLite), during the run. */
  readonly cpuMs: number;
  readonly maxRssKb: number;
  readonly rssBeforeKb: number;
  readonly heapUsedKb: number;
}

/**
 * `npm run bench -- import [--files N] [--rerun] [--postgres [URL]] [--batch-size N]`: writes N
 * legacy-like progress files (steps 1-4, a plaintext key each; not timed), then imports them
 * with the import-files code into a new, empty database (SQLite by default; with --postgres a
 * new database on that server, dropped afterwards) in a child process, and prints files/s, the
 * elapsed time and the child's peak RSS. `--rerun` also times the second, all-unchanged run.
 */
export async function runImportBench(args: readonly string[]): Promise<void> {
  const count = positiveOption(args, "--files") ?? DEFAULT_FILES;
  const batchSize = positiveOption(args, "--batch-size");
  const root = mkdtempSync(join(tmpdir(), "import-bench-"));
  let postgres: BenchDatabase | undefined;
  try {
    const dir = join(root, "progress");
    const started = performance.now();
    generateProgressFiles(dir, count);
    line(`generated ${count} progress files in ${seconds(performance.now() - started)} s (not timed)`);
    postgres = args.includes("--postgres") ? await createPostgresBenchDatabase(postgresUrl(args)) : undefined;
    const databaseUrl = postgres?.url ?? `sqlite:${join(root, "bench.db")}`;
    line(`database: ${postgres === undefined ? "SQLite (a new file)" : `PostgreSQL (${redacted(databaseUrl)})`}`);
    const childArgs = [dir, String(count), ...(args.includes("--rerun") ? ["--rerun"] : []), ...(batchSize === undefined ? [] : ["--batch-size", String(batchSize)])];
    for (const run of await runChild(childArgs, databaseUrl)) {
      const filesPerSecond = count / (run.elapsedMs / 1000);
      // The target is the default engine's; PostgreSQL's figure is reported beside it.
      const met = run.label === "first import" && postgres === undefined ? ` (target >= ${TARGET_FILES_PER_SECOND}: ${filesPerSecond >= TARGET_FILES_PER_SECOND ? "met" : "MISSED"})` : "";
      line(`${run.label}: ${count} files in ${seconds(run.elapsedMs)} s = ${Math.round(filesPerSecond)} files/s${met}`);
      line(`  CPU ${seconds(run.cpuMs)} s (user + system, all of the process's threads; on a busy machine, the steadier figure)`);
      line(`  peak RSS ${mb(run.maxRssKb)} MB (process at start of import ${mb(run.rssBeforeKb)} MB; JS heap in use after ${mb(run.heapUsedKb)} MB)`);
    }
  } finally {
    await postgres?.drop();
    rmSync(root, { recursive: true, force: true });
  }
}

/** The import in a process of its own: its peak RSS is then the import's, not the generator's. */
async function runChild(args: readonly string[], databaseUrl: string): Promise<ChildRun[]> {
  const script = fileURLToPath(new URL("./import-bench-child.ts", import.meta.url));
  const env = { DATABASE_URL: databaseUrl, STORAGE_MODE: "database", ENCRYPTION_KEY: randomBytes(32).toString("base64") };
  const stdout = await runTypeScriptChild(script, args, env);
  return jsonLines<ChildRun>(stdout);
}


/** `--postgres` alone means the local test server; `--postgres URL` names another. */
function postgresUrl(args: readonly string[]): string {
  const next = args[args.indexOf("--postgres") + 1];
  return next !== undefined && /^postgres(ql)?:\/\//.test(next) ? next : DEFAULT_POSTGRES_URL;
}

function redacted(url: string): string {
  const parsed = new URL(url);
  if (parsed.password !== "") parsed.password = "***";
  return parsed.toString();
}

const line = (text: string) => void process.stdout.write(`${text}\n`);
const seconds = (ms: number) => (ms / 1000).toFixed(1);
const mb = (kb: number) => Math.round(kb / 1024);
