import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { apiKeyContext, SecretCipher } from "../src/crypto/secret-cipher.js";
import { runImportBench } from "./import-bench.js";
import { generateLegacyDatabase } from "./legacy-bench-database.js";
import { runRound, syncFile, type RoundResult } from "./migrate-bench-round.js";

const DEFAULT_SESSIONS = 1_000_000;
const TARGET_RATIO = 1.5;
const TARGET_RSS_MB = 200;

/**
 * `npm run bench -- migrate [--sessions N] [--rounds R] [--keep]`: generates a legacy SQLite
 * database, then, R times (2 by default), upgrades one fresh copy with `upgrade-legacy` and
 * another with a hand-written raw-SQL rebuild, each in its own process, alternating which goes
 * first; prints both times, their ratio and the upgrade's peak RSS per round and, over several
 * rounds, the medians. Then runs the import benchmark (`--files N` and its other options pass through).
 */
export async function migrateBench(args: readonly string[]): Promise<void> {
  const sessions = readCount(args, "--sessions", DEFAULT_SESSIONS);
  // Two by default: one with each contender first, so that neither position favours either.
  const rounds = readCount(args, "--rounds", 2);
  const dir = mkdtempSync(join(tmpdir(), "migrate-bench-"));
  try {
    const pristine = join(dir, "pristine.db");
    const generated = timed(() => generateLegacyDatabase(pristine, sessions));
    syncFile(pristine);
    line(`sessions: ${sessions} (4 child rows each: ${sessions * 4} rows)`);
    line(`legacy database: ${mb(statSync(pristine).size)} MB, generated in ${seconds(generated)} s`);
    const results: RoundResult[] = [];
    for (let round = 1; round <= rounds; round += 1) {
      const result = await runRound(pristine, dir, round, round % 2 === 1);
      if (round === 1) line(`rows after (both): ${result.rows}`);
      if (rounds > 1) printRound(round, result);
      results.push(result);
    }
    printSummary(results, sessions);
    if (args.includes("--keep")) line(`kept: ${pristine}`);
  } finally {
    if (!args.includes("--keep")) rmSync(dir, { recursive: true, force: true });
  }
  // `bench migrate` is documented as both halves of the move: the import of progress files follows.
  line("import-files (alone: npm run bench -- import):");
  await runImportBench(args);
}

function printRound(round: number, { upgrade, raw, backupMs }: RoundResult): void {
  line(
    `round ${round} (${round % 2 === 1 ? "upgrade" : "raw SQL"} first): upgrade-legacy ${seconds(upgrade.elapsedMs)} s ` +
      `(backup ${seconds(backupMs)} s), raw SQL ${seconds(raw.elapsedMs)} s, ratio ${((upgrade.elapsedMs - backupMs) / raw.elapsedMs).toFixed(2)} ` +
      `without the backup, ${(upgrade.elapsedMs / raw.elapsedMs).toFixed(2)} with it, peak RSS ${mb(upgrade.maxRssKb * 1024)} MB`,
  );
}

/** One round's figures, or the median of each over the rounds (the ratios: the median of each round's own). */
function printSummary(results: readonly RoundResult[], sessions: number): void {
  const of = (figure: (result: RoundResult) => number) => median(results.map(figure));
  const label = results.length > 1 ? `median of ${results.length} rounds: ` : "";
  const upgradeMs = of((r) => r.upgrade.elapsedMs);
  const backupMs = of((r) => r.backupMs);
  const rssMb = (Math.max(...results.map((r) => r.upgrade.maxRssKb)) * 1024) / 1e6;
  line(`${label}upgrade-legacy: ${seconds(upgradeMs)} s (process wall ${seconds(of((r) => r.upgrade.wallMs))} s), CPU ${seconds(of((r) => r.upgrade.cpuMs))} s`);
  if (results.length === 1) line(`upgrade-legacy phases: ${phases(results[0]?.upgrade.report)}`);
  line(`${label}upgrade-legacy without its backup: ${seconds(of((r) => r.upgrade.elapsedMs - r.backupMs))} s (backup ${seconds(backupMs)} s)`);
  line(`${label}raw SQL rebuild: ${seconds(of((r) => r.raw.elapsedMs))} s (process wall ${seconds(of((r) => r.raw.wallMs))} s), CPU ${seconds(of((r) => r.raw.cpuMs))} s, peak RSS ${mb(Math.max(...results.map((r) => r.raw.maxRssKb)) * 1024)} MB`);
  line("raw SQL rebuild does no backup, no merge/orphan/JSON checks, and cannot encrypt: it copies plaintext keys into key_ciphertext");
  // The raw SQL takes no backup, so the target is checked on the upgrade without its backup; both are printed.
  const ratio = of((r) => (r.upgrade.elapsedMs - r.backupMs) / r.raw.elapsedMs);
  line(`${label}ratio upgrade/raw, backup excluded (the raw SQL takes none): ${ratio.toFixed(2)} (target <= ${TARGET_RATIO}: ${ratio <= TARGET_RATIO ? "met" : "MISSED"})`);
  const total = of((r) => r.upgrade.elapsedMs / r.raw.elapsedMs);
  line(`${label}ratio upgrade/raw, backup included: ${total.toFixed(2)} (${total <= TARGET_RATIO ? "also within" : "over"} ${TARGET_RATIO})`);
  line(`${label}ratio by process wall time (backup and start-up included): ${of((r) => r.upgrade.wallMs / r.raw.wallMs).toFixed(2)}`);
  line(`${label}ratio by CPU time (the upgrade seals keys on a second thread; start-up included): ${of((r) => r.upgrade.cpuMs / r.raw.cpuMs).toFixed(2)}`);
  line(`for scale, sealing ${sessions} keys with SecretCipher.seal on one thread, this machine, now: ${seconds(sealingFloor(sessions))} s`);
  line(`upgrade peak RSS${results.length > 1 ? " (highest round)" : ""}: ${rssMb.toFixed(0)} MB (target <= ${TARGET_RSS_MB}: ${rssMb <= TARGET_RSS_MB ? "met" : "MISSED"})`);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function readCount(args: readonly string[], option: string, fallback: number): number {
  const index = args.indexOf(option);
  if (index === -1) return fallback;
  const value = Number(args[index + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${option} ${args[index + 1]} is not a positive integer`);
  return value;
}

function durations(report: unknown): Record<string, number> {
  return (report as { durationsMs?: Record<string, number> }).durationsMs ?? {};
}

function phases(report: unknown): string {
  return Object.entries(durations(report)).map(([phase, ms]) => `${phase} ${seconds(ms)} s`).join(", ");
}

/** What encrypting the keys costs by itself on one thread: work the raw SQL cannot do at all. */
function sealingFloor(keys: number): number {
  const cipher = SecretCipher.fromBase64(randomBytes(32).toString("base64"));
  return timed(() => {
    for (let id = 1; id <= keys; id += 1) cipher.seal(`sk-bench-${id}-${(id * 2654435761) % 4294967296}`, apiKeyContext(String(id), "openai"));
  });
}

function timed(work: () => void): number {
  const started = performance.now();
  work();
  return performance.now() - started;
}

const line = (text: string) => void process.stdout.write(`${text}\n`);
const seconds = (ms: number) => (ms / 1000).toFixed(1);
const mb = (bytes: number) => (bytes / 1e6).toFixed(0);
