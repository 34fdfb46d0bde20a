// First: on a Node older than package.json's engines, one line saying what to install, then exit (decision 0017).
import "../scripts/require-node.mjs";
import { badInput } from "./parts/bad-input.js";
import { crash } from "./parts/crash.js";
import { databaseOutage } from "./parts/database-outage.js";
import { isolation } from "./parts/isolation.js";
import { slowClients } from "./parts/slow-clients.js";
import { soak } from "./parts/soak.js";
import { twoInstances } from "./parts/two-instances.js";
import { figureTable, format, type Figure } from "./support/figures.js";
import type { Part, PartContext } from "./support/part.js";

/**
 * `npm run test:reliability [-- --only name,name]`: the parts one after another (their figures
 * need the machine to themselves), each within its time bound, then one table of every figure
 * beside its goal. Exit status 1 when any figure missed its goal or any part failed or overran.
 */
const PARTS: readonly Part[] = [isolation, badInput, crash, databaseOutage, twoInstances, slowClients, soak];

const only = readOnly(process.argv.slice(2));
/** Interrupted (Ctrl-C, SIGTERM): the running part stops, its cleanups run (no server or cluster is left behind), no other part starts. */
const interruption = new AbortController();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    process.stderr.write(`\n${signal}: stopping the part and cleaning up\n`);
    interruption.abort();
    setTimeout(() => process.exit(130), 30_000).unref();
  });
}
const figures: Figure[] = [];
const started = performance.now();
for (const part of PARTS.filter((p) => only === undefined || only.includes(p.name))) {
  if (interruption.signal.aborted) break;
  figures.push(...(await runPart(part)));
}
figures.push({ part: "suite", name: "whole run", value: `${format((performance.now() - started) / 1000)} s`, goal: "(info)", met: undefined });

process.stdout.write(`\n${figureTable(figures)}\n`);
const missed = figures.filter((f) => f.met === false);
const judged = figures.filter((f) => f.met !== undefined);
process.stdout.write(`\nreliability: ${judged.length - missed.length} passed, ${missed.length} failed\n`);
process.exit(interruption.signal.aborted ? 130 : missed.length === 0 ? 0 : 1);

async function runPart(part: Part): Promise<Figure[]> {
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  const controller = new AbortController();
  const context: PartContext = {
    log: (line) => process.stdout.write(`[${part.name}] ${line}\n`),
    defer: (cleanup) => void cleanups.push(cleanup),
    signal: controller.signal,
  };
  context.log(`starting (bound ${part.boundSeconds} s)`);
  const begun = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const overrun = new Promise<"overrun">((resolve) => (timer = setTimeout(() => resolve("overrun"), part.boundSeconds * 1000)));
  const interrupted = new Promise<"interrupted">((resolve) => interruption.signal.addEventListener("abort", () => resolve("interrupted"), { once: true }));
  const results: Figure[] = [];
  try {
    const outcome = await Promise.race([part.run(context), overrun, interrupted]);
    if (outcome === "overrun" || outcome === "interrupted") {
      controller.abort();
      results.push({ part: part.name, name: outcome === "overrun" ? "finished within its bound" : "finished (interrupted)", value: "no", goal: `≤ ${part.boundSeconds} s`, met: false });
    } else results.push(...outcome);
  } catch (error) {
    controller.abort();
    const message = error instanceof Error ? `${error.message}`.split("\n")[0]!.slice(0, 160) : String(error);
    context.log(`FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    results.push({ part: part.name, name: "ran to the end", value: `no: ${message}`, goal: "yes", met: false });
  } finally {
    clearTimeout(timer);
    await runCleanups(cleanups, context.log);
  }
  const seconds = (performance.now() - begun) / 1000;
  context.log(`done in ${format(seconds)} s`);
  results.push({ part: part.name, name: "duration", value: `${format(seconds)} s`, goal: `≤ ${part.boundSeconds} s`, met: seconds <= part.boundSeconds });
  return results;
}

/** Last deferred, first run. */
async function runCleanups(list: (() => Promise<unknown> | unknown)[], log: (line: string) => void): Promise<void> {
  for (const cleanup of list.splice(0).reverse()) {
    try {
      await cleanup();
    } catch (error) {
      log(`cleanup failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

function readOnly(args: readonly string[]): string[] | undefined {
  const index = args.indexOf("--only");
  if (index < 0) return undefined;
  const names = (args[index + 1] ?? "").split(",").filter((name) => name !== "");
  const unknown = names.filter((name) => !PARTS.some((part) => part.name === name));
  if (unknown.length > 0) {
    process.stderr.write(`unknown part(s) ${unknown.join(", ")}; parts: ${PARTS.map((p) => p.name).join(", ")}\n`);
    process.exit(2);
  }
  return names;
}
