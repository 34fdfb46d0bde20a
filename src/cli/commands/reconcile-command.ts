import type { Command } from "commander";
import { reconcileProgressFiles } from "../reconcile/reconcile-progress-files.js";
import { reconcileReportText } from "../reconcile/reconcile-report.js";
import { CommandRefused, runCommand, type CommandDeps } from "../shared/command-io.js";
import { progressDirFor } from "../shared/progress-dir.js";
import { printReport } from "../shared/report-output.js";

interface ReconcileCommandOptions {
  readonly dir?: string;
  readonly fix?: boolean;
  readonly json?: boolean;
}

export function registerReconcileCommand(program: Command, deps?: CommandDeps): void {
  program
    .command("reconcile")
    .description("compare every progress file with the database; --fix rewrites drifting files from the database")
    .option("--dir <dir>", "folder of progress files (default: PROGRESS_DIR; required when STORAGE_MODE=database)")
    .option("--fix", "rewrite the files of users who have a session from the database")
    .option("--json", "print the report as JSON")
    .action((options: ReconcileCommandOptions) =>
      runCommand(deps, async ({ services, stdout }) => {
        const dir = progressDirFor(services.config, options.dir, "reconcile");
        if (options.fix === true && services.config.storageMode === "file") {
          // In `file` mode the files are the only store: rewriting them from the database could lose data.
          throw new CommandRefused(
            "reconcile --fix: STORAGE_MODE=file keeps the data in the files, so they are not rewritten from the database; run import-files to copy them into it instead",
          );
        }
        const report = await reconcileProgressFiles({ database: services.database, steps: services.steps, dir, fix: options.fix === true });
        printReport(stdout, report, options.json === true, reconcileReportText);
        return report.in_sync ? 0 : 1;
      }),
    );
}
