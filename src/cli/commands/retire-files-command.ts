import type { Command } from "commander";
import { retirePauseFromEnv } from "../retire-files/retire-pause.js";
import { retireFiles, type RetirePhase } from "../retire-files/retire-files.js";
import { retireReportText } from "../retire-files/retire-report.js";
import { runCommand, type CommandDeps } from "../shared/command-io.js";
import { ProgressBar } from "../shared/progress-bar.js";
import { progressDirFor } from "../shared/progress-dir.js";
import { printReport } from "../shared/report-output.js";

interface RetireFilesOptions {
  readonly archive: string;
  readonly dir?: string;
  readonly dryRun?: boolean;
  readonly json?: boolean;
}

export function registerRetireFilesCommand(program: Command, deps?: CommandDeps): void {
  program
    .command("retire-files")
    .description("when migration-status is ready: archive every progress file (tar.gz with a manifest), check the archive, then remove the files")
    .requiredOption("--archive <file>", "the archive to write (tar.gz); an existing one of an interrupted run is checked and its removal finished")
    .option("--dir <dir>", "folder of progress files (default: PROGRESS_DIR; required when STORAGE_MODE=database)")
    .option("--dry-run", "check and report; write and remove nothing")
    .option("--json", "print the report as JSON")
    .action((options: RetireFilesOptions) =>
      runCommand(deps, async ({ services, stdout, stderr, env }) => {
        const dir = progressDirFor(services.config, options.dir, "retire-files");
        const bars = new Map<RetirePhase, ProgressBar>();
        const report = await retireFiles({
          database: services.database,
          steps: services.steps,
          dir,
          mode: services.config.storageMode,
          archive: options.archive,
          dryRun: options.dryRun === true,
          pause: retirePauseFromEnv(env),
          onProgress: (phase, done, total) => {
            const bar = bars.get(phase) ?? new ProgressBar(stderr, total);
            bars.set(phase, bar);
            bar.update(done);
            if (done === total) bar.finish(done);
          },
        });
        printReport(stdout, report, options.json === true, retireReportText);
        return report.complete || (report.dry_run && report.refused === null) ? 0 : 1;
      }),
    );
}
