import { performance } from "node:perf_hooks";
import { importProgressFiles } from "../src/cli/import-files/import-progress-files.js";
import { createServices } from "../src/composition/services.js";
import { loadConfig } from "../src/config/config.js";
import { createLogger } from "../src/logging/logger.js";

/**
 * One import benchmark run in a process of its own, so that its peak RSS is the import's and
 * not the file generator's: `import-bench-child.ts <dir> <count> [--rerun] [--batch-size N]`,
 * DATABASE_URL and ENCRYPTION_KEY from the environment. Prints one JSON line per run.
 */
const [dir, countText, ...flags] = process.argv.slice(2);
const count = Number(countText);
if (dir === undefined || !Number.isInteger(count)) throw new Error("usage: import-bench-child.ts <dir> <count> [--rerun] [--batch-size N]");
const batchIndex = flags.indexOf("--batch-size");
const batchSize = batchIndex === -1 ? undefined : Number(flags[batchIndex + 1]);

const services = await createServices(loadConfig(), createLogger("silent"));
try {
  const options = { database: services.database, steps: services.steps, cipher: services.cipher, dir, ...(batchSize === undefined ? {} : { batchSize }) };
  const rssBeforeKb = Math.round(process.memoryUsage().rss / 1024);
  const runs = flags.includes("--rerun") ? (["first import", "re-run"] as const) : (["first import"] as const);
  for (const label of runs) {
    const expected = label === "first import" ? "imported" : "unchanged";
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const report = await importProgressFiles(options);
    const elapsedMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    if (report.summary[expected] !== count) {
      throw new Error(`${label}: expected ${count} files ${expected}, got ${JSON.stringify(report.summary)}`);
    }
    const heapUsedKb = Math.round(process.memoryUsage().heapUsed / 1024);
    process.stdout.write(`${JSON.stringify({ label, elapsedMs, cpuMs, maxRssKb: process.resourceUsage().maxRSS, rssBeforeKb, heapUsedKb })}\n`);
  }
} finally {
  await services.close();
}
