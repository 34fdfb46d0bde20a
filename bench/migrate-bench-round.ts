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
 * One round: fresh copies of the pristine legacy database for each contender, each run in its
 * own process, in the given order (rounds alternate it, so neither always runs on a cooler or
 * warmer machine). The copies and the upgrade's backup are deleted afterwards.
 */
export async function runRound(pristine: string, dir: string, round: number, upgradeFirst: boolean): Promise<RoundResult> {
  const roundDir = join(dir, `round-${round}`);
  mkdirSync(roundDir);
  const upgradePath = join(roundDir, "legacy.db");
  const rawPath = join(roundDir, "raw.db");
  try {
    for (const path of [upgradePath, rawPath]) {
      copyFileSync(pristine, path);
      // On disk before either contender starts: otherwise the first one's commit (a sync) also
      // writes out what copying left in the page cache.
      syncFile(path);
    }
    const env = { DATABASE_URL: `sqlite:${upgradePath}`, ENCRYPTION_KEY: randomBytes(32).toString("base64"), LOG_LEVEL: "warn" };
    const runUpgrade = () => measureChild(["upgrade", upgradePath, join(roundDir, "backups")], env);
    const runRaw = () => measureChild(["raw", rawPath], {});
    const raw = upgradeFirst ? undefined : await runRaw();
    const upgrade = await runUpgrade();
    return finish(upgrade, raw ?? (await runRaw()), upgradePath, rawPath);
  } finally {
    rmSync(roundDir, { recursive: true, force: true });
  }
}

function finish(upgrade: ChildMeasurement, raw: ChildMeasurement, upgradePath: string, rawPath: string): RoundResult {
  const rows = assertSameRows(upgradePath, rawPath);
  const durations = (upgrade.report as { durationsMs?: Record<string, number> }).durationsMs ?? {};
  return { upgrade, raw, backupMs: durations.backup ?? 0, rows };
}

/** Both contenders must end with the same rows, or the comparison means nothing. */
function assertSameRows(upgradePath: string, rawPath: string): string {
  const tables = ["onboarding_sessions", "step_states", "api_keys", "website_analyses", "research_preferences", "persona_data"];
  const counts = (path: string) => {
    const db = new SqliteDatabase(path, { readonly: true });
    try {
      return tables.map((table) => `${table} ${(db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n}`).join(", ");
    } finally {
      db.close();
    }
  };
  const upgraded = counts(upgradePath);
  const rebuilt = counts(rawPath);
  if (upgraded !== rebuilt) throw new Error(`row counts differ: ${upgraded} vs ${rebuilt}`);
  return upgraded;
}

export function syncFile(path: string): void {
  const fd = openSync(path, "r+");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
