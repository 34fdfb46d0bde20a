// First: on a Node older than package.json's engines, one line saying what to install, then exit (decision 0017).
import "../scripts/require-node.mjs";
import { httpBench } from "./http-bench.js";
import { runImportBench } from "./import-bench.js";
import { metricsHookBench } from "./metrics-hook-bench.js";
import { migrateBench } from "./migrate-bench.js";
import { retireBench } from "./retire-bench.js";
import { storeScaleBench } from "./store-scale-bench.js";
import { webBench } from "./web-bench.js";

/** `npm run bench -- <name> [options]`: each benchmark prints its figures as plain lines and stops by itself. */
const BENCHMARKS: Readonly<Record<string, (args: readonly string[]) => Promise<void>>> = {
  migrate: migrateBench,
  http: httpBench,
  import: runImportBench,
  metrics: metricsHookBench,
  retire: retireBench,
  "store-scale": storeScaleBench,
  web: webBench,
};

const [name, ...args] = process.argv.slice(2);
const benchmark = name === undefined ? undefined : BENCHMARKS[name];
if (benchmark === undefined) {
  process.stderr.write(`unknown benchmark "${name ?? ""}"; one of: ${Object.keys(BENCHMARKS).join(", ")}\n`);
  process.exitCode = 2;
} else {
  await benchmark(args);
}
