// CI's proof that a production install works (.ci/run runs it in a copy of the tree after
// `npm ci && npm run build && npm prune --omit=dev`): no dev dependency is installed, `npm start`
// serves the page and the API, and every operator command (`npm run cli -- …`) runs. Plain
// JavaScript with Node's own modules only: nothing else is installed where it runs.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const PROJECT = fileURLToPath(new URL("..", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "production-check-"));
const env = {
  ...process.env,
  PORT: "0",
  HOST: "127.0.0.1",
  DATABASE_URL: `sqlite:${join(work, "onboarding.db")}`,
  STORAGE_MODE: "dual",
  PROGRESS_DIR: join(work, "progress"),
  DATA_DIR: work,
  LLM_BASE_URL: "http://127.0.0.1:9/v1",
  OPENAI_BASE_URL: "http://127.0.0.1:9/v1",
  GEMINI_BASE_URL: "http://127.0.0.1:9/v1",
  ANTHROPIC_BASE_URL: "http://127.0.0.1:9/v1",
  MISTRAL_BASE_URL: "http://127.0.0.1:9/v1",
  LOCAL_ENV_KEYS: "false",
};
const passed = [];

function check(what, ok, detail = "") {
  if (!ok) throw new Error(`production install: ${what} FAILED ${detail}`);
  passed.push(what);
  process.stdout.write(`ok  ${what}\n`);
}

/**
 * No package that only the dev dependencies need is installed: the lockfile marks each of those
 * `dev: true`, direct or transitive. (A dev dependency that a production package also needs, like
 * `yaml`, which @fastify/swagger uses, stays after the prune and is not marked.)
 */
function noDevDependencies() {
  const { packages } = JSON.parse(readFileSync(join(PROJECT, "package-lock.json"), "utf8"));
  const devOnly = Object.entries(packages).filter(([path, entry]) => path !== "" && entry.dev === true);
  const present = devOnly.map(([path]) => path).filter((path) => existsSync(join(PROJECT, path)));
  check(`no dev-only package installed (npm prune --omit=dev; ${devOnly.length} in the lockfile)`, present.length === 0, present.slice(0, 10).join(", "));
}

/** `npm start` in its own process group (npm starts a shell, which starts node), until it listens. */
async function startServer() {
  const child = spawn("npm", ["start"], { cwd: PROJECT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  for (let i = 0; i < 600; i++) {
    const url = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
    if (url !== undefined) return { url, stop: () => process.kill(-child.pid, "SIGTERM"), output: () => output };
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`npm start did not listen:\n${output}`);
}

async function exerciseServer() {
  const server = await startServer();
  try {
    check("npm start listens", true);
    const get = (path, init) => fetch(`${server.url}${path}`, init);
    check("/readyz answers ready", (await get("/readyz")).status === 200);
    const page = await get("/");
    const html = await page.text();
    check("/ serves the built web page", page.status === 200 && /text\/html/.test(page.headers.get("content-type") ?? "") && /<script[^>]+src="\/assets\//.test(html), html.slice(0, 200));
    const asset = /<script[^>]+src="(\/assets\/[^"]+)"/.exec(html)?.[1];
    check("the page's script is served", asset !== undefined && (await get(asset)).status === 200, asset);
    const token = (await (await get("/api/dev/token", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ user_id: "user_production" }) })).json()).token;
    const api = (path, method = "GET", body) =>
      get(`/api/onboarding${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) }, body: body ? JSON.stringify(body) : undefined });
    check("a save answers 200", (await api("/step/1/complete", "POST", { data: { api_keys: { openai: "sk-production-check-0001" } } })).status === 200);
    check("GET /summary answers 200", (await api("/summary")).status === 200);
    check("GET /metrics answers (loopback)", (await (await get("/metrics")).text()).includes("http_requests_total"));
  } finally {
    server.stop();
  }
}

function cli(args, extraEnv = {}, expected = 0) {
  const run = spawnSync("npm", ["run", "-s", "cli", "--", ...args], { cwd: PROJECT, env: { ...env, ...extraEnv }, encoding: "utf8" });
  const output = `${run.stdout}${run.stderr}`;
  check(`npm run cli -- ${args.join(" ")}`, run.status === expected && !/ERR_MODULE_NOT_FOUND|Cannot find (module|package)/.test(output), `(exit ${run.status})\n${output.slice(-1_500)}`);
  return output;
}

function operatorCommands() {
  cli(["migrate"]);
  cli(["verify", "user_production"]);
  cli(["reconcile"]);
  // The end of the move: the files are in sync, so they may retire into an archive and come back.
  cli(["migration-status"]);
  cli(["retire-files", "--archive", join(work, "progress-files.tar.gz")]);
  cli(["restore-files", "--archive", join(work, "progress-files.tar.gz")]);
  cli(["import-files", "--dry-run"]);
  cli(["upgrade-legacy", "--backup-dir", join(work, "backups")]);
  const previous = readFileSync(join(work, "encryption.key"), "utf8").trim();
  cli(["rotate-encryption-key"], { ENCRYPTION_KEY: randomBytes(32).toString("base64"), ENCRYPTION_KEY_PREVIOUS: previous });
  cli(["delete-user", "user_production"]);
  cli(["--help"]);
}

try {
  mkdirSync(env.PROGRESS_DIR, { recursive: true });
  noDevDependencies();
  await exerciseServer();
  operatorCommands();
  process.stdout.write(`production install: ${passed.length} passed, 0 failed\n`);
} catch (error) {
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
