import type { Command } from "commander";
import { checkMigrationStatus } from "../migration-status/migration-status.js";
import { migrationStatusText } from "../migration-status/migration-status-report.js";
import { runCommand, type CommandDeps } from "../shared/command-io.js";
import { lateProgressBar } from "../shared/progress-bar.js";
import { progressDirFor } from "../shared/progress-dir.js";
import { printReport } from "../shared/report-output.js";

interface MigrationStatusOptions {
  readonly dir?: string;
  readonly json?: boolean;
}

export function registerMigrationStatusCommand(program: Command, deps?: CommandDeps): void {
  program
    .command("migration-status")
    .description("say whether the progress files may be retired, naming every blocker and the command that fixes it (exit 0 ready, 1 not)")
    .option("--dir <dir>", "folder of progress files (default: PROGRESS_DIR; required when STORAGE_MODE=database)")
    .option("--json", "print the report as JSON")
    .action((options: MigrationStatusOptions) =>
      runCommand(deps, async ({ services, stdout, stderr }) => {
        const dir = progressDirFor(services.config, options.dir, "migration-status");
        const bar = lateProgressBar(stderr);
        const { report } = await checkMigrationStatus({
          database: services.database,
          steps: services.steps,
          dir,
          mode: services.config.storageMode,
          onProgress: bar.onProgress,
        });
        bar.finish(report.progress_files);
        printReport(stdout, report, options.json === true, migrationStatusText);
        return report.ready_to_retire_files ? 0 : 1;
      }),
    );
}
