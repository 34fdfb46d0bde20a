import { InvalidArgumentError, type Command } from "commander";
import { DEFAULT_BATCH_SIZE } from "../rotate-encryption-key/rotate-database-keys.js";
import { rotateEncryptionKey } from "../rotate-encryption-key/rotate-encryption-key.js";
import { rotationPauseFromEnv } from "../rotate-encryption-key/rotation-pause.js";
import { rotationExitCode, rotationReportText } from "../rotate-encryption-key/rotation-report.js";
import { runCommand, type CommandDeps } from "../shared/command-io.js";
import { printReport } from "../shared/report-output.js";

interface RotateOptions {
  readonly batchSize: number;
  readonly json?: boolean;
}

export function registerRotateEncryptionKeyCommand(program: Command, deps?: CommandDeps): void {
  program
    .command("rotate-encryption-key")
    .description(
      "re-seal every stored API key (database and progress files) with ENCRYPTION_KEY, reading the old ones with " +
        "ENCRYPTION_KEY_PREVIOUS; in batches, safe to stop and run again",
    )
    .option("--batch-size <n>", "database rows per transaction", parseBatchSize, DEFAULT_BATCH_SIZE)
    .option("--json", "print the report as JSON")
    .action((options: RotateOptions) =>
      runCommand(deps, async ({ services, stdout, env }) => {
        const report = await rotateEncryptionKey({
          database: services.database,
          cipher: services.cipher,
          progressDir: services.config.storageMode === "database" ? null : services.config.progressDir,
          batchSize: options.batchSize,
          pause: rotationPauseFromEnv(env),
        });
        printReport(stdout, report, options.json === true, rotationReportText);
        return rotationExitCode(report);
      }),
    );
}

function parseBatchSize(value: string): number {
  const size = Number(value);
  if (!Number.isInteger(size) || size < 1 || size > 10_000) throw new InvalidArgumentError("a whole number from 1 to 10000");
  return size;
}
