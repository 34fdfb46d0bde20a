import { randomBytes } from "node:crypto";
import { closeSync, copyFileSync, fsyncSync, mkdirSync, openSync, rmSync } from "node:fs";
import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { measureChild, type ChildMeasurement } from "./measure-child.js";

export interface RoundResult {
  readonly upgrade: ChildMeasurement;
  readonly raw: ChildMeasurement;
  /** The upgrade's backup phase, which the raw SQL has no counterpart of. */
  readonly backupMs: number;
  /** Row counts per table, the same for both contenders. */
  readonly rows: string;
}

/**
 * One round: each contender, in the given order (rounds alternate it), gets a fresh, synced copy
 * of the pristine legacy database right before it runs in its own process, and its files are
 * deleted right after (their row counts kept for the comparison). So neither starts in the wake
 * of the other's gigabytes of writes: on this VM the contender that ran second used to be 20-30%
 * slower, whichever it was.
 */
export async function runRound(pristine: string, dir: string, round: number, upgradeFirst: boolean): Promise<RoundResult> {
  const runUpgrade = () =>
    onFreshCopy(pristine, join(dir, `round-${round}-upgrade`), (path, roundDir) => {
      const env = { DATABASE_URL: `sqlite:${path}`, ENCRYPTION_KEY: randomBytes(32).toString("base64"), LOG_LEVEL: "warn" };
      return measureChild(["upgrade", path, join(roundDir, "backups")], env);
    });
  const runRaw = () => onFreshCopy(pristine, join(dir, `round-${round}-raw`), (path) => measureChild(["raw", path], {}));
  const first = upgradeFirst ? await runUpgrade() : await runRaw();
  const second = upgradeFirst ? await runRaw() : await runUpgrade();
  const [upgrade, raw] = upgradeFirst ? [first, second] : [second, first];
  if (upgrade.rows !== raw.rows) throw new Error(`row counts differ: ${upgrade.rows} vs ${raw.rows}`);
  const durations = (upgrade.measured.report as { durationsMs?: Record<string, number> }).durationsMs ?? {};
  return { upgrade: upgrade.measured, raw: raw.measured, backupMs: durations.backup ?? 0, rows: upgrade.rows };
}

async function onFreshCopy(
  pristine: string,
  roundDir: string,
  run: (path: string, roundDir: string) => Promise<ChildMeasurement>,
): Promise<{ measured: ChildMeasurement; rows: string }> {
  mkdirSync(roundDir);
  try {
    const path = join(roundDir, "legacy.db");
    copyFileSync(pristine, path);
    // On disk before the contender starts: otherwise its commit (a sync) also writes out the copy.
    syncFile(path);
    const measured = await run(path, roundDir);
    return { measured, rows: rowCounts(path) };
  } finally {
    rmSync(roundDir, { recursive: true, force: true });
  }
}

/** Both contenders must end with the same rows, or the comparison means nothing. */
function rowCounts(path: string): string {
  const tables = ["onboarding_sessions", "step_states", "api_keys", "website_analyses", "research_preferences", "persona_data"];
  const db = new SqliteDatabase(path, { readonly: true });
  try {
    return tables.map((table) => `${table} ${(db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n}`).join(", ");
  } finally {
    db.close();
  }
}

export function syncFile(path: string): void {
  const fd = openSync(path, "r+");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
