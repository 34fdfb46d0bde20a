import { writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { checkMigrationStatus } from "../src/cli/migration-status/migration-status.js";
import { retireFiles } from "../src/cli/retire-files/retire-files.js";
import { createServices } from "../src/composition/services.js";
import { loadConfig } from "../src/config/config.js";
import { inChunks } from "../src/db/bulk-rows.js";
import { createLogger } from "../src/logging/logger.js";
import { DatabaseStore } from "../src/storage/database-store.js";
import { encodeProgressFile } from "../src/storage/progress-file-format.js";
import { progressFilePath } from "../src/storage/progress-file-name.js";
import { progressFileText } from "../src/storage/progress-files.js";
import { settleDatabase } from "./settle-database.js";

/**
 * One phase of the retire benchmark in a process of its own (its peak RSS is the phase's):
 * `retire-bench-child.ts <mirror|status|retire> <dir> <count> [archive]`, DATABASE_URL and
 * ENCRYPTION_KEY from the environment. `mirror` (not timed) rewrites every file as dual mode's
 * copy of the database, what reconcile --fix leaves, without its fsync per file, then settles the
 * database and the disk. Prints one JSON line.
 */
const [phase, dir, countText, archive] = process.argv.slice(2);
const count = Number(countText);
if (phase === undefined || dir === undefined || !Number.isInteger(count)) throw new Error("usage: retire-bench-child.ts <mirror|status|retire> <dir> <count> [archive]");

const services = await createServices(loadConfig(), createLogger("silent"));
try {
  const options = { database: services.database, steps: services.steps, dir, mode: "dual" as const };
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  if (phase === "mirror") {
    const ids = (await services.database.kysely.selectFrom("onboarding_sessions").select("user_id").execute()).map((row) => row.user_id);
    const store = new DatabaseStore(services.database, services.steps);
    for (const batch of inChunks(ids, 500)) {
      for (const record of (await store.readMany(batch)).values()) {
        writeFileSync(progressFilePath(dir, record.userId), progressFileText(encodeProgressFile(record, services.steps, "dual")));
      }
    }
    // Files and rows written months ago are on disk: the timed phases must not pay for this write-back.
    await settleDatabase(services.database);
  } else if (phase === "status") {
    const { report } = await checkMigrationStatus(options);
    if (!report.ready_to_retire_files || report.progress_files !== count) throw new Error(`status: expected ${count} files and ready, got ${JSON.stringify(report.blockers)}`);
  } else if (phase === "retire" && archive !== undefined) {
    const report = await retireFiles({ ...options, archive, dryRun: false });
    if (!report.complete || report.removed !== count) throw new Error(`retire: expected ${count} files removed, got ${JSON.stringify({ ...report, status: undefined })}`);
  } else {
    throw new Error(`unknown phase ${phase}`);
  }
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  process.stdout.write(`${JSON.stringify({ label: phase, elapsedMs, cpuMs: (cpu.user + cpu.system) / 1000, maxRssKb: process.resourceUsage().maxRSS })}\n`);
} finally {
  await services.close();
}
