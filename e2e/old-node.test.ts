import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

/**
 * An older Node (the machines here come with Node 20) stops at every entry point with one line
 * naming the Node needed and how to get it (decision 0017). The old Node is the machine's own,
 * /usr/bin/node unless OLD_NODE names another; without an older one there is nothing to try.
 */
const OLD_NODE = process.env.OLD_NODE ?? "/usr/bin/node";
const NEEDED = Number(/(\d+)/.exec((JSON.parse(readFileSync("package.json", "utf8")) as { engines: { node: string } }).engines.node)?.[1]);

function majorOf(node: string): number | null {
  if (!existsSync(node)) return null;
  const result = spawnSync(node, ["-p", "process.versions.node"], { encoding: "utf8" });
  return result.status === 0 ? Number(result.stdout.split(".")[0]) : null;
}

const oldMajor = majorOf(OLD_NODE);
const hasOldNode = oldMajor !== null && oldMajor < NEEDED;
if (!hasOldNode) console.warn(`old-node.test.ts: skipped, ${OLD_NODE} is not a Node older than ${NEEDED} (set OLD_NODE to one)`);

describe.runIf(hasOldNode)(`an entry point run on Node ${oldMajor}`, () => {
  // tsx (which supports Node 18) runs the TypeScript entry points the way dist/ runs them compiled.
  it.each([
    ["npm install's preinstall", ["scripts/require-node.mjs"]],
    ["npm start", ["scripts/start.mjs"]],
    ["npm run build", ["scripts/build.mjs"]],
    ["npm run cli", ["scripts/cli.mjs", "--help"]],
    ["npm run dev", ["scripts/dev.mjs"]],
    ["the server (dist/server.js)", ["--import", "tsx", "src/server.ts"]],
    ["the operator commands (dist/cli/main.js)", ["--import", "tsx", "src/cli/main.ts", "migrate"]],
    ["the reliability suite", ["--import", "tsx", "reliability/run.ts", "--only", "none"]],
    ["the benchmarks", ["--import", "tsx", "bench/run.ts", "none"]],
  ])("%s stops at once with one line naming the Node needed", (_name, args) => {
    const result = spawnSync(OLD_NODE, args, { encoding: "utf8", timeout: 20_000, env: { ...process.env, PORT: "0", DATABASE_URL: "sqlite::memory:" } });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe("");
    const lines = result.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`needs Node.js ${NEEDED} or newer, but this is Node.js v${oldMajor}.`);
    expect(lines[0]).toContain(`npm install --prefix ~/.cache/onboarding-node${NEEDED} node@${NEEDED}`);
  });
});
