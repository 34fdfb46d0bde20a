import { spawnSync } from "node:child_process";
import type { TestProject } from "vitest/node";
import { findChromium } from "./chromium.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** The Chromium the browser suite drives, or null when the suite is skipped. */
    chromiumPath: string | null;
  }
}

/**
 * Once per run: finds Debian's Chromium and builds what `npm start` would build (so the suites
 * start the server as `npm start` does without racing each other to build). No Chromium: one loud
 * line, the suite is skipped, and E2E_REQUIRED=1 makes that a failure.
 */
export function setup(project: TestProject): void {
  const chromium = findChromium();
  if (chromium === null) {
    const why = process.env.CHROMIUM_PATH ? `CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist` : "no /usr/bin/chromium and no chromium on PATH";
    const line = `BROWSER SUITE SKIPPED: ${why} (apt-get install -y chromium, or set CHROMIUM_PATH)`;
    if (process.env.E2E_REQUIRED === "1") throw new Error(`${line}; E2E_REQUIRED=1 makes this a failure`);
    process.stderr.write(`\n!!!!! ${line} !!!!!\n\n`);
    project.provide("chromiumPath", null);
    return;
  }
  const build = spawnSync(process.execPath, ["scripts/build.mjs", "--stale"], { stdio: "inherit" });
  if (build.status !== 0) throw new Error("building the server and the web page failed (scripts/build.mjs --stale)");
  project.provide("chromiumPath", chromium);
}
