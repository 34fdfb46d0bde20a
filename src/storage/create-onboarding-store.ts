import type { Logger } from "pino";
import type { StorageMode } from "../config/config.js";
import type { Database } from "../db/database.js";
import { DatabaseStore } from "./database-store.js";
import { DualStore } from "./dual-store.js";
import { FileStore } from "./file-store.js";
import { ProgressFileMirror } from "./progress-file-mirror.js";
import type { OnboardingStore } from "./onboarding-store.js";
import { ProgressFiles } from "./progress-files.js";
import type { StepPersistence } from "./step-persistence.js";
import type { StorageMetrics } from "./storage-metrics.js";

export interface StoreDependencies {
  readonly mode: StorageMode;
  readonly database: Database;
  readonly progressDir: string;
  readonly steps: readonly StepPersistence[];
  readonly logger: Pick<Logger, "warn">;
  readonly metrics: StorageMetrics;
}

/** The one place the storage phase is chosen. `database` mode builds no ProgressFiles at all. */
export function createOnboardingStore(deps: StoreDependencies): OnboardingStore {
  switch (deps.mode) {
    case "file":
      return new FileStore(new ProgressFiles(deps.progressDir, deps.steps, "file"));
    case "dual":
      return new DualStore(
        new DatabaseStore(deps.database, deps.steps),
        new ProgressFileMirror(new ProgressFiles(deps.progressDir, deps.steps, "dual"), deps.logger, deps.metrics),
      );
    case "database":
      return new DatabaseStore(deps.database, deps.steps);
  }
}
