import type { Command } from "commander";
import { ProgressFiles } from "../../storage/progress-files.js";
import { deleteUser } from "../delete-user/delete-user.js";
import { deletionReportText } from "../delete-user/delete-user-report.js";
import { runCommand, type CommandDeps } from "../shared/command-io.js";
import { printReport } from "../shared/report-output.js";

export function registerDeleteUserCommand(program: Command, deps?: CommandDeps): void {
  program
    .command("delete-user")
    .description("erase a user's session, every row of it and the progress file (right to erasure)")
    .argument("<user_id>", "the user's id, e.g. user_2abc123xyz")
    .option("--json", "print the report as JSON")
    .action((userId: string, options: { json?: boolean }) =>
      runCommand(deps, async ({ services, stdout }) => {
        const { config, database, steps } = services;
        const files = config.storageMode === "database" ? null : new ProgressFiles(config.progressDir, steps, config.storageMode);
        const report = await deleteUser(database, files, userId);
        printReport(stdout, report, options.json === true, deletionReportText);
        // Nothing to delete is still a success; a file that could not be removed is not.
        return report.file.outcome === "failed" ? 1 : 0;
      }),
    );
}
