import type { Command } from "commander";
import { restoreFiles } from "../restore-files/restore-files.js";
import { restoreReportText } from "../restore-files/restore-report.js";
import { runCommand, type CommandDeps } from "../shared/command-io.js";
import { lateProgressBar } from "../shared/progress-bar.js";
import { progressDirFor } from "../shared/progress-dir.js";
import { printReport } from "../shared/report-output.js";

interface RestoreFilesOptions {
  readonly archive: string;
  readonly dir?: string;
  readonly json?: boolean;
}

export function registerRestoreFilesCommand(program: Command, deps?: CommandDeps): void {
  program
    .command("restore-files")
    .description("put the progress files of a retire-files archive back, byte for byte, never over a newer file (safe to repeat)")
    .requiredOption("--archive <file>", "the archive retire-files wrote")
    .option("--dir <dir>", "folder to restore into (default: PROGRESS_DIR; required when STORAGE_MODE=database)")
    .option("--json", "print the report as JSON")
    .action((options: RestoreFilesOptions) =>
      runCommand(deps, async ({ services, stdout, stderr }) => {
        const dir = progressDirFor(services.config, options.dir, "restore-files");
        const bar = lateProgressBar(stderr);
        const report = await restoreFiles({
          archive: options.archive,
          dir,
          onProgress: bar.onProgress,
        });
        bar.finish(report.files);
        printReport(stdout, report, options.json === true, restoreReportText);
        return report.refused === null ? 0 : 1;
      }),
    );
}
