import type { Command } from "commander";
import { runCommand, type CommandDeps } from "../shared/command-io.js";
import { printReport } from "../shared/report-output.js";
import { inspectUser } from "../verify/inspect-user.js";
import { verifyReportText } from "../verify/verify-report.js";

export function registerVerifyCommand(program: Command, deps?: CommandDeps): void {
  program
    .command("verify")
    .description("show what the database holds for a user, per table and step (keys masked)")
    .argument("<user_id>", "the user's id, e.g. user_2abc123xyz")
    .option("--json", "print the report as JSON")
    .action((userId: string, options: { json?: boolean }) =>
      runCommand(deps, async ({ services, stdout, stderr }) => {
        const report = await inspectUser(services.database, services.steps, userId, services.cipher.currentVersion);
        if (report === null) {
          const message = `no onboarding session for user ${JSON.stringify(userId)}: the database holds nothing for this id`;
          if (options.json === true) printReport(stdout, { user_id: userId, found: false, message }, true, () => []);
          else stderr.write(`${message}\n`);
          return 1;
        }
        printReport(stdout, report, options.json === true, verifyReportText);
        return 0;
      }),
    );
}
