import type { Command } from "commander";
import { importExitCode, importReportText } from "../import-files/import-report.js";
import { importProgressFiles } from "../import-files/import-progress-files.js";
import { runCommand, type CommandDeps } from "../shared/command-io.js";
import { lateProgressBar } from "../shared/progress-bar.js";
import { printReport } from "../shared/report-output.js";
import { progressDirFor } from "../shared/progress-dir.js";

interface ImportFilesOptions {
  readonly dir?: string;
  readonly dryRun?: boolean;
  readonly json?: boolean;
}

export function registerImportFilesCommand(program: Command, deps?: CommandDeps): void {
  program
    .command("import-files")
    .description("backfill progress files into the database (idempotent; bad files are reported and skipped)")
    .option("--dir <dir>", "folder of .onboarding_progress_*.json files (default: PROGRESS_DIR)")
    .option("--dry-run", "write nothing; report what would change")
    .option("--json", "print the report as JSON")
    .action((options: ImportFilesOptions) =>
      runCommand(deps, async ({ services, stdout, stderr }) => {
        const dir = progressDirFor(services.config, options.dir, "import-files");
        const bar = lateProgressBar(stderr);
        const report = await importProgressFiles({
          database: services.database,
          steps: services.steps,
          cipher: services.cipher,
          dir,
          dryRun: options.dryRun === true,
          onProgress: bar.onProgress,
        });
        bar.finish(report.summary.files);
        printReport(stdout, report, options.json === true, importReportText);
        return importExitCode(report);
      }),
    );
}
