import type { SecretCipher } from "../../crypto/secret-cipher.js";
import { migrateToLatest, type MigrationReport } from "../../db/migrator.js";
import { initialSchema } from "../../db/migrations/0001-initial-schema.js";
import { classifyShape, describeShapeProblems } from "./legacy/legacy-shape.js";
import type { LegacyBackup, LegacyUpgrader, RebuildContext, RebuildOutcome, SealingKey } from "./legacy-upgrader.js";
import { NO_PAUSE, type Pause } from "./pause-point.js";
import { STEP_STATE_RULE } from "./shared/step-state-sql.js";
import type { UpgradeReport } from "./upgrade-report.js";

export interface UpgradeOptions {
  readonly cipher: SecretCipher;
  /**
   * The raw bytes behind `cipher`'s current key. With them the SQLite upgrade seals the keys on a
   * worker thread while it copies the other tables; without, on this thread. Checked against `cipher`.
   */
  readonly sealingKey?: SealingKey;
  readonly pause?: Pause;
  readonly startedAt?: Date;
}

/**
 * Upgrades a database of the old platform, in the operator's order: inspect, back up, rebuild in
 * one transaction, run our later migrations, report. Each phase is one call into the database's
 * LegacyUpgrader (sqlite/ or postgres/). A database already ours only gets `migrate`.
 */
export async function upgradeLegacy(upgrader: LegacyUpgrader, options: UpgradeOptions): Promise<UpgradeReport> {
  // 1. Inspect: only the old platform's tables go further; anything unknown is refused untouched.
  const shape = classifyShape(await upgrader.readTables());
  if (shape.kind === "current") return { status: "up-to-date", migrations: await migrateToLatest(upgrader.database) };
  if (shape.kind !== "legacy") throw new LegacyShapeRefused(describeShapeProblems(shape));
  const startedAt = options.startedAt ?? new Date();
  const pause = options.pause ?? NO_PAUSE;
  const clock = stopwatch();

  // 2. Back up every legacy table, committed before anything changes.
  const backup = await upgrader.backup(startedAt);
  const backupMs = clock();
  pause("after-backup");

  // 3. Rebuild in one transaction: migration 1, which the ledger records as `migrate` would.
  const context: RebuildContext = { cipher: options.cipher, sealingKey: options.sealingKey, now: startedAt.toISOString(), backup, pause };
  const { result, migrationOne } = await rebuildAsMigrationOne(upgrader, context);
  const rebuildMs = clock();

  // 4. Our later migrations, on the committed rebuild.
  const migrations = await runLaterMigrations(upgrader, migrationOne, backup);

  // 5. The report: what the backup holds, what each table became, and how long each phase took.
  const durationsMs = { backup: backupMs, rebuild: rebuildMs, laterMigrations: clock() };
  return { status: "upgraded", backup, result, stepStateRule: STEP_STATE_RULE, migrations, durationsMs };
}

/** The whole rebuild as migration 1, inside the migrator's transaction and lock; a failure rolls all of it back. */
async function rebuildAsMigrationOne(
  upgrader: LegacyUpgrader,
  context: RebuildContext,
): Promise<{ result: RebuildOutcome; migrationOne: MigrationReport }> {
  let result: RebuildOutcome | undefined;
  let migrationOne: MigrationReport;
  try {
    migrationOne = await migrateToLatest(upgrader.database, [
      {
        version: initialSchema.version,
        name: initialSchema.name,
        up: async (trx) => {
          result = await upgrader.rebuild(trx, context);
        },
      },
    ]);
  } catch (error) {
    throw new LegacyUpgradeFailed(messageOf(error), context.backup, true, error);
  }
  if (result === undefined) {
    throw new LegacyUpgradeFailed("another process recorded migration 1 first; this run changed nothing", context.backup, true);
  }
  return { result, migrationOne };
}

async function runLaterMigrations(upgrader: LegacyUpgrader, migrationOne: MigrationReport, backup: LegacyBackup): Promise<MigrationReport> {
  try {
    await upgrader.afterCommit();
    const later = await migrateToLatest(upgrader.database);
    return { applied: [...migrationOne.applied, ...later.applied], currentVersion: later.currentVersion };
  } catch (error) {
    throw new LegacyUpgradeFailed(`the upgrade committed but a later migration failed (${messageOf(error)}); run \`migrate\``, backup, false, error);
  }
}

/** Each call returns the milliseconds since the previous one. */
function stopwatch(): () => number {
  let last = performance.now();
  return () => {
    const now = performance.now();
    const elapsed = Math.round(now - last);
    last = now;
    return elapsed;
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The database is neither the old platform's nor ours: nothing was touched, no backup made. */
export class LegacyShapeRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LegacyShapeRefused";
  }
}

/** The upgrade failed after the backup was made; `databaseUnchanged` says whether it rolled back. */
export class LegacyUpgradeFailed extends Error {
  readonly backup: LegacyBackup;
  readonly databaseUnchanged: boolean;

  constructor(message: string, backup: LegacyBackup, databaseUnchanged: boolean, cause?: unknown) {
    super(message, { cause });
    this.name = "LegacyUpgradeFailed";
    this.backup = backup;
    this.databaseUnchanged = databaseUnchanged;
  }
}
