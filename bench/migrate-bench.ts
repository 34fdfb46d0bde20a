import { randomBytes } from "node:crypto";
import { copyFileSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import SqliteDatabase from "better-sqlite3";
import { apiKeyContext, SecretCipher } from "../src/crypto/secret-cipher.js";
import { runImportBench } from "./import-bench.js";
import { generateLegacyDatabase } from "./legacy-bench-database.js";
import { measureChild } from "./measure-child.js";

const DEFAULT_SESSIONS = 1_000_000;
const TARGET_RATIO = 1.5;
const TARGET_RSS_MB = 200;

/**
 * `npm run bench -- migrate [--sessions N] [--keep]`: generates a legacy SQLite database, then
 * upgrades one copy with `upgrade-legacy` and another with a hand-written raw-SQL rebuild, each
 * in its own process, and prints both times, their ratio and the upgrade's peak RSS; then runs
 * the import benchmark (`--files N` and its other options pass through).
 */
export async function migrateBench(args: readonly string[]): Promise<void> {
  const sessions = readSessions(args);
  const dir = mkdtempSync(join(tmpdir(), "migrate-bench-"));
  try {
    const upgradePath = join(dir, "legacy.db");
    const rawPath = join(dir, "raw.db");
    const generated = timed(() => generateLegacyDatabase(upgradePath, sessions));
    copyFileSync(upgradePath, rawPath);
    line(`sessions: ${sessions} (4 child rows each: ${sessions * 4} rows)`);
    line(`legacy database: ${mb(statSync(upgradePath).size)} MB, generated in ${seconds(generated)} s`);

    const env = { DATABASE_URL: `sqlite:${upgradePath}`, ENCRYPTION_KEY: randomBytes(32).toString("base64"), LOG_LEVEL: "warn" };
    const upgrade = await measureChild(["upgrade", upgradePath, join(dir, "backups")], env);
    const raw = await measureChild(["raw", rawPath], {});
    assertSameRows(upgradePath, rawPath);

    const backupMs = durations(upgrade.report).backup ?? 0;
    line(`upgrade-legacy: ${seconds(upgrade.elapsedMs)} s (process wall ${seconds(upgrade.wallMs)} s), CPU ${seconds(upgrade.cpuMs)} s, peak RSS ${mb(upgrade.maxRssKb * 1024)} MB`);
    line(`upgrade-legacy phases: ${phases(upgrade.report)}`);
    line(`upgrade-legacy without its backup: ${seconds(upgrade.elapsedMs - backupMs)} s`);
    line(`raw SQL rebuild: ${seconds(raw.elapsedMs)} s (process wall ${seconds(raw.wallMs)} s), CPU ${seconds(raw.cpuMs)} s, peak RSS ${mb(raw.maxRssKb * 1024)} MB`);
    line("raw SQL rebuild does no backup, no merge/orphan/JSON checks, and cannot encrypt: it copies plaintext keys into key_ciphertext");
    // The raw SQL takes no backup, so the target is checked on the upgrade without its backup; both are printed.
    const ratio = (upgrade.elapsedMs - backupMs) / raw.elapsedMs;
    line(`ratio upgrade/raw, backup excluded (the raw SQL takes none): ${ratio.toFixed(2)} (target <= ${TARGET_RATIO}: ${ratio <= TARGET_RATIO ? "met" : "MISSED"})`);
    const total = upgrade.elapsedMs / raw.elapsedMs;
    line(`ratio upgrade/raw, backup included: ${total.toFixed(2)} (${total <= TARGET_RATIO ? "also within" : "over"} ${TARGET_RATIO})`);
    line(`ratio by process wall time (backup and start-up included): ${(upgrade.wallMs / raw.wallMs).toFixed(2)}`);
    line(`ratio by CPU time (the upgrade seals keys on a second thread; start-up included): ${(upgrade.cpuMs / raw.cpuMs).toFixed(2)}`);
    line(`for scale, sealing ${sessions} keys with SecretCipher.seal on one thread, this machine, now: ${seconds(sealingFloor(sessions))} s`);
    const rssMb = (upgrade.maxRssKb * 1024) / 1e6;
    line(`upgrade peak RSS: ${rssMb.toFixed(0)} MB (target <= ${TARGET_RSS_MB}: ${rssMb <= TARGET_RSS_MB ? "met" : "MISSED"})`);
    if (args.includes("--keep")) line(`kept: ${dir}`);
  } finally {
    if (!args.includes("--keep")) rmSync(dir, { recursive: true, force: true });
  }
  // `bench migrate` is documented as both halves of the move: the import of progress files follows.
  line("import-files (alone: npm run bench -- import):");
  await runImportBench(args);
}

function readSessions(args: readonly string[]): number {
  const index = args.indexOf("--sessions");
  if (index === -1) return DEFAULT_SESSIONS;
  const value = Number(args[index + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--sessions ${args[index + 1]} is not a positive integer`);
  return value;
}

/** Both contenders must end with the same rows, or the comparison means nothing. */
function assertSameRows(upgradePath: string, rawPath: string): void {
  const tables = ["onboarding_sessions", "step_states", "api_keys", "website_analyses", "research_preferences", "persona_data"];
  const counts = (path: string) => {
    const db = new SqliteDatabase(path, { readonly: true });
    try {
      return tables.map((table) => `${table} ${(db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n}`);
    } finally {
      db.close();
    }
  };
  const upgraded = counts(upgradePath);
  const rebuilt = counts(rawPath);
  if (upgraded.join() !== rebuilt.join()) throw new Error(`row counts differ: ${upgraded.join(", ")} vs ${rebuilt.join(", ")}`);
  line(`rows after (both): ${upgraded.join(", ")}`);
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
