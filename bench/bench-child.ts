import { performance } from "node:perf_hooks";
import { processIo } from "../src/cli/cli-context.js";
import { upgradeLegacyCommand } from "../src/cli/commands/upgrade-legacy-command.js";
import { runCli } from "../src/cli/run-cli.js";
import { rawSqlRebuild } from "./raw-sql-rebuild.js";

/**
 * Runs one contender in its own process and prints one JSON line: its own elapsed time (from
 * the start of the work, so without the TypeScript loader's start-up) and the process's peak RSS.
 * `upgrade` runs the real `onboarding upgrade-legacy` command (DATABASE_URL from the environment).
 */
const [contender, path, backupDir] = process.argv.slice(2);
const started = performance.now();
let report: unknown;
if (contender === "upgrade" && backupDir !== undefined) {
  const chunks: string[] = [];
  const io = { ...processIo(), out: (text: string) => void chunks.push(text) };
  const code = await runCli(["upgrade-legacy", "--json", "--backup-dir", backupDir], io, [upgradeLegacyCommand]);
  if (code !== 0) throw new Error(`upgrade-legacy exited ${code}: ${chunks.join("")}`);
  report = JSON.parse(chunks.join(""));
} else if (contender === "raw" && path !== undefined) {
  rawSqlRebuild(path);
} else {
  throw new Error(`usage: bench-child.ts upgrade <db> <backup-dir> | raw <db> (got ${process.argv.slice(2).join(" ")})`);
}
const elapsedMs = performance.now() - started;
const usage = process.resourceUsage();
// CPU time of every thread of the process (the upgrade seals keys on a worker thread), start-up included.
const cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
process.stdout.write(`${JSON.stringify({ elapsedMs, cpuMs, maxRssKb: usage.maxRSS, report })}\n`);
