import type { Logger } from "pino";
import type { Config } from "../config/config.js";
import { loadSecretCipher } from "../crypto/load-secret-cipher.js";
import type { SecretCipher } from "../crypto/secret-cipher.js";
import { openDatabase, type Database } from "../db/database.js";
import { migrateToLatest } from "../db/migrator.js";
import { OutboundAgent } from "../net/outbound-agent.js";
import { OutboundResolver } from "../net/outbound-resolver.js";
import { createOnboardingStore } from "../storage/create-onboarding-store.js";
import { removeAbandonedTempFiles } from "../storage/progress-temp-files.js";
import type { OnboardingStore } from "../storage/onboarding-store.js";
import type { StepPersistence } from "../storage/step-persistence.js";
import { StorageMetrics } from "../storage/storage-metrics.js";
import { stepPersistences } from "./step-registry.js";

/** Everything a request or a CLI command needs, built once at start from the config. */
export interface Services {
  readonly config: Config;
  readonly logger: Logger;
  readonly database: Database;
  readonly cipher: SecretCipher;
  readonly steps: readonly StepPersistence[];
  readonly store: OnboardingStore;
  readonly metrics: StorageMetrics;
  /** DNS of calls made on users' behalf (model providers, analysed websites), off the threadpool. */
  readonly resolver: OutboundResolver;
  /** Connections to model providers, resolved by `resolver`. */
  readonly outboundAgent: OutboundAgent;
  close(): Promise<void>;
}

export interface ServiceOptions {
  /** An already-open database (tests pass theirs); otherwise DATABASE_URL is opened and migrated. */
  readonly database?: Database;
  readonly cipher?: SecretCipher;
}

export async function createServices(config: Config, logger: Logger, options: ServiceOptions = {}): Promise<Services> {
  const database =
    options.database ??
    openDatabase(config.database, {
      poolSize: config.databasePoolMax,
      onConnectionLost: (error) => logger.warn({ err: error }, "database connection lost"),
    });
  try {
    if (options.database === undefined) {
      const report = await migrateToLatest(database);
      if (report.applied.length > 0) logger.info({ applied: report.applied }, "database migrated");
    }
    if (config.storageMode !== "database") await removeLeftoverTempFiles(config.progressDir, logger);
    const cipher = options.cipher ?? loadSecretCipher(config, logger);
    const steps = stepPersistences(cipher);
    const metrics = new StorageMetrics();
    const store = createOnboardingStore({
      mode: config.storageMode,
      database,
      progressDir: config.progressDir,
      steps,
      logger,
      metrics,
    });
    const resolver = new OutboundResolver(config.outboundDns);
    const outboundAgent = new OutboundAgent(resolver.lookup);
    return Object.freeze({
      config,
      logger,
      database,
      cipher,
      steps,
      store,
      metrics,
      resolver,
      outboundAgent,
      close: async () => {
        await outboundAgent.close();
        // The file copies that follow the last commits are written before the database goes.
        await store.settled();
        if (options.database === undefined) await database.close();
      },
    });
  } catch (error) {
    if (options.database === undefined) await database.close();
    throw error;
  }
}

/** Temp files of progress-file writes a killed process could not finish. */
async function removeLeftoverTempFiles(progressDir: string, logger: Logger): Promise<void> {
  const removed = await removeAbandonedTempFiles(progressDir);
  if (removed.length > 0) logger.info({ progress_dir: progressDir, files: removed.length }, "removed the temp files of interrupted progress-file writes");
}
