import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { generateProgressFiles } from "./import-bench-files.js";
import { jsonLines, positiveOption, runTypeScriptChild } from "./measure-child.js";

const DEFAULT_FILES = 100_000;
const TARGET_FILES_PER_SECOND = 5_000;
const TARGET_PEAK_RSS_MB = 200;

interface PhaseRun {
  readonly label: string;
  readonly elapsedMs: number;
  readonly cpuMs: number;
  readonly maxRssKb: number;
}

/**
 * `npm run bench -- retire [--files N]`: N legacy progress files (not timed) imported with
 * import-files into a new SQLite database (timed: its rate is the figure beside which the others
 * are read, measured in the same run on the same machine), rewritten as dual mode's copies (not
 * timed), then migration-status and retire-files timed, each in a process of its own with its
 * peak RSS. Targets: >= 5,000 files/s for status and for retire, peak RSS <= 200 MB.
 */
export async function retireBench(args: readonly string[]): Promise<void> {
  const count = positiveOption(args, "--files") ?? DEFAULT_FILES;
  const root = mkdtempSync(join(tmpdir(), "retire-bench-"));
  try {
    const dir = join(root, "progress");
    const archive = join(root, "retired.tar.gz");
    const started = performance.now();
    generateProgressFiles(dir, count);
    line(`generated ${count} legacy progress files in ${seconds(performance.now() - started)} s (not timed)`);
    const env = { DATABASE_URL: `sqlite:${join(root, "bench.db")}`, STORAGE_MODE: "dual", ENCRYPTION_KEY: randomBytes(32).toString("base64") };
    const [imported] = await child("import-bench-child.ts", [dir, String(count)], env);
    report("import-files (the figure beside which to read the others)", imported!, count, false);
    await child("retire-bench-child.ts", ["mirror", dir, String(count)], env);
    line(`rewrote the ${count} files as dual mode's copies of the database (what reconcile --fix leaves; not timed)`);
    const [status] = await child("retire-bench-child.ts", ["status", dir, String(count)], env);
    report("migration-status", status!, count, true);
    const [retired] = await child("retire-bench-child.ts", ["retire", dir, String(count), archive], env);
    report("retire-files (scan, archive, read back, remove)", retired!, count, true);
    line(`  archive ${mb(statSync(archive).size / 1024)} MB; ${readdirSync(dir).length} files left in the folder`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function report(label: string, run: PhaseRun, count: number, judged: boolean): void {
  const rate = count / (run.elapsedMs / 1000);
  const rss = mb(run.maxRssKb);
  const rateVerdict = judged ? ` (target >= ${TARGET_FILES_PER_SECOND}: ${rate >= TARGET_FILES_PER_SECOND ? "met" : "MISSED"})` : "";
  const rssVerdict = judged ? ` (target <= ${TARGET_PEAK_RSS_MB}: ${rss <= TARGET_PEAK_RSS_MB ? "met" : "MISSED"})` : "";
  line(`${label}: ${count} files in ${seconds(run.elapsedMs)} s = ${Math.round(rate)} files/s${rateVerdict}`);
  line(`  CPU ${seconds(run.cpuMs)} s (user + system, all threads); peak RSS ${rss} MB${rssVerdict}`);
}

async function child(script: string, args: readonly string[], env: Record<string, string>): Promise<PhaseRun[]> {
  const stdout = await runTypeScriptChild(fileURLToPath(new URL(`./${script}`, import.meta.url)), args, env);
  return jsonLines<PhaseRun>(stdout);
}


const line = (text: string) => void process.stdout.write(`${text}\n`);
const seconds = (ms: number) => (ms / 1000).toFixed(1);
const mb = (kb: number) => Math.round(kb / 1024);
