import type { SecretCipher } from "../../crypto/secret-cipher.js";
import { migrateToLatest, type MigrationReport } from "../../db/migrator.js";
import { initialSchema } from "../../db/migrations/0001-initial-schema.js";
import type { LegacyBackup, LegacyUpgrader, RebuildContext, RebuildOutcome } from "./legacy-upgrader.js";
import { classifyShape, describeShapeProblems } from "./legacy/legacy-shape.js";
import { NO_PAUSE, type Pause } from "./pause-point.js";
import { STEP_STATE_RULE } from "./shared/step-state-sql.js";
import type { SealingKey } from "./sqlite/sqlite-sealing-worker.js";

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

export type UpgradeReport =
  | { readonly status: "up-to-date"; readonly migrations: MigrationReport }
  | {
      readonly status: "upgraded";
      readonly backup: LegacyBackup;
      readonly result: RebuildOutcome;
      readonly stepStateRule: string;
      readonly migrations: MigrationReport;
      /** Wall time of each phase, for operators planning the maintenance window. */
      readonly durationsMs: { readonly backup: number; readonly rebuild: number; readonly laterMigrations: number };
    };

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

/**
 * Upgrades a database of the old platform: backup first, then the whole rebuild as migration 1
 * inside the migrator's transaction and lock (so the ledger records version 1 exactly as
 * `migrate` would), then any later migrations. A database already ours only gets `migrate`.
 */
export async function upgradeLegacy(upgrader: LegacyUpgrader, options: UpgradeOptions): Promise<UpgradeReport> {
  const shape = classifyShape(await upgrader.readTables());
  if (shape.kind === "current") return { status: "up-to-date", migrations: await migrateToLatest(upgrader.database) };
  if (shape.kind !== "legacy") throw new LegacyShapeRefused(describeShapeProblems(shape));

  const startedAt = options.startedAt ?? new Date();
  const pause = options.pause ?? NO_PAUSE;
  const clock = stopwatch();
  const backup = await upgrader.backup(startedAt);
  const backupMs = clock();
  pause("after-backup");
  const context: RebuildContext = { cipher: options.cipher, now: startedAt.toISOString(), backup, pause, sealingKey: options.sealingKey };
  const { result, migration } = await rebuildAsMigrationOne(upgrader, context);
  const rebuildMs = clock();
  try {
    await upgrader.afterRebuild();
    const later = await migrateToLatest(upgrader.database);
    const migrations = { applied: [...migration.applied, ...later.applied], currentVersion: later.currentVersion };
    const durationsMs = { backup: backupMs, rebuild: rebuildMs, laterMigrations: clock() };
    return { status: "upgraded", backup, result, stepStateRule: STEP_STATE_RULE, migrations, durationsMs };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new LegacyUpgradeFailed(`the upgrade committed but a later migration failed (${reason}); run \`migrate\``, backup, false, error);
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

async function rebuildAsMigrationOne(
  upgrader: LegacyUpgrader,
  context: RebuildContext,
): Promise<{ result: RebuildOutcome; migration: MigrationReport }> {
  let result: RebuildOutcome | undefined;
  let migration: MigrationReport;
  try {
    migration = await migrateToLatest(upgrader.database, [
      {
        version: initialSchema.version,
        name: initialSchema.name,
        up: async (trx) => {
          result = await upgrader.rebuild(trx, context);
        },
      },
    ]);
  } catch (error) {
    throw new LegacyUpgradeFailed(error instanceof Error ? error.message : String(error), context.backup, true, error);
  }
  if (result === undefined) {
    throw new LegacyUpgradeFailed("another process recorded migration 1 first; this run changed nothing", context.backup, true);
  }
  return { result, migration };
}
