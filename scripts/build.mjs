// `npm run build` builds the server (tsc → dist/) and the web page (Vite → dist/web/).
// `npm start` calls buildStale() first: it builds only what is missing or older than its
// sources, so that a production install (built, then dev dependencies pruned) starts without
// TypeScript or Vite. Plain JavaScript on purpose: it runs before anything is compiled.
import "./require-node.mjs";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const PROJECT = fileURLToPath(new URL("..", import.meta.url));
const at = (path) => join(PROJECT, path);

/** What `tsconfig.build.json` compiles: src/ without tests and test support. */
function serverSources() {
  const isTestOnly = (path) => /\.test\.ts$|-test-support\.ts$|-test-runner\.ts$|fixture/.test(path) || path.startsWith("src/test-support/");
  return [...listFiles("src", (path) => path.endsWith(".ts") && !isTestOnly(path)), "tsconfig.json", "tsconfig.build.json"];
}

/** The files Vite bundled last time (written by web/vite.config.ts), and what decides what it bundles. */
function webSources() {
  const recorded = at("dist/.web-inputs.json");
  const bundled = existsSync(recorded) ? JSON.parse(readFileSync(recorded, "utf8")) : [];
  return [...bundled, "web/index.html", "web/vite.config.ts", ...listFiles("web/public", () => true)];
}

export const TARGETS = [
  { name: "server", stamp: "dist/.server-built", sources: serverSources, tool: "tsc", args: ["-p", "tsconfig.build.json"] },
  { name: "web page", stamp: "dist/.web-built", shape: "dist/.web-shape.json", sources: webSources, tool: "vite", args: ["build", "--config", "web/vite.config.ts", "--logLevel", "warn"] },
];

/**
 * Why the last build of `target` was made for another environment, or null: the variables that
 * shape it (web/vite.config.ts records VITE_API_BASE_URL) differ from this process's. A page built
 * to call an API on another host must not be served as the same-origin page, whatever its file times.
 */
export function shapeMismatch(target) {
  if (target.shape === undefined || !existsSync(at(target.stamp))) return null;
  if (!existsSync(at(target.shape))) return `${target.shape} is missing (built before the build variables were recorded)`;
  const recorded = JSON.parse(readFileSync(at(target.shape), "utf8"));
  for (const [name, builtWith] of Object.entries(recorded)) {
    const now = process.env[name]?.trim() || null;
    if (now !== builtWith) return `built with ${name}=${builtWith ?? "(unset)"}, now ${name}=${now ?? "(unset)"}`;
  }
  return null;
}

/** Why `target` must be built, or null when its last build is newer than every source and made for this environment. */
export function staleness(target) {
  const stamp = at(target.stamp);
  if (!existsSync(stamp)) return "never built";
  const mismatch = shapeMismatch(target);
  if (mismatch !== null) return mismatch;
  const builtAt = statSync(stamp).mtimeMs;
  for (const source of target.sources()) {
    if (!existsSync(at(source))) return `${source} is gone`;
    if (statSync(at(source)).mtimeMs > builtAt) return `${source} changed`;
  }
  return null;
}

export function buildTarget(target) {
  const tool = at(join("node_modules", ".bin", target.tool));
  if (!existsSync(tool)) throw new Error(`${target.tool} is not installed: run \`npm install\` (dev dependencies build the ${target.name})`);
  // Always a production bundle, even when called from the test runner (NODE_ENV=test gave React's development build).
  const result = spawnSync(tool, target.args, { cwd: PROJECT, stdio: "inherit", env: { ...process.env, NODE_ENV: "production" } });
  if (result.status !== 0) throw new Error(`building the ${target.name} failed (${target.tool} ${target.args.join(" ")})`);
  mkdirSync(at("dist"), { recursive: true });
  writeFileSync(at(target.stamp), `${new Date().toISOString()}\n`);
}

/**
 * Builds what is stale (of `names`: every target by default). A stale build without the tools to
 * rebuild it (a pruned production install whose files were touched) is used as it is, with a
 * warning; no build at all, or one made for other build variables (shapeMismatch), is an error.
 */
export function buildStale(names = TARGETS.map((target) => target.name), log = (line) => process.stderr.write(`${line}\n`), targets = TARGETS) {
  for (const target of targets.filter((t) => names.includes(t.name))) {
    const reason = staleness(target);
    if (reason === null) continue;
    const toolMissing = !existsSync(at(join("node_modules", ".bin", target.tool)));
    const mismatch = shapeMismatch(target);
    if (toolMissing && mismatch !== null) {
      throw new Error(`the ${target.name} was ${mismatch} and ${target.tool} is not installed to rebuild it: build it with the value this server should serve (npm run build), or start with the one it was built with`);
    }
    if (toolMissing && existsSync(at(target.stamp))) {
      log(`warning: the ${target.name} build is older than its sources (${reason}) and ${target.tool} is not installed; serving the existing build`);
      continue;
    }
    log(`building the ${target.name} (${reason})…`);
    buildTarget(target);
  }
}

function listFiles(dir, keep) {
  if (!existsSync(at(dir))) return [];
  return readdirSync(at(dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(PROJECT, join(entry.parentPath, entry.name)))
    .filter(keep);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    if (process.argv.includes("--stale")) buildStale();
    else for (const target of TARGETS) buildTarget(target);
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
