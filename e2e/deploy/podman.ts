import { execFile } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const PROJECT = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Podman as these machines can run it (e2e/deploy/containers.conf: runc, cgroupfs, no default
 * ulimits), for podman and podman-compose alike. Shared by the deploy tests (image, compose).
 */
export const CONTAINER_ENV: NodeJS.ProcessEnv = { ...process.env, CONTAINERS_CONF: process.env.CONTAINERS_CONF ?? join(PROJECT, "e2e", "deploy", "containers.conf") };

/** The stand-in for node:24-slim that make-local-base-image.sh makes once and keeps. */
export const LOCAL_BASE_IMAGE = process.env.CONTAINER_BASE_IMAGE ?? "localhost/onboarding-node-base:24";

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to its end (never throws on a non-zero exit: the caller reads `code`). */
export function run(command: string, args: readonly string[], options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      command,
      args,
      { cwd: PROJECT, env: options.env ?? CONTAINER_ENV, timeout: options.timeoutMs ?? 60_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === "number" ? error.code : 1;
        resolve({ code, stdout: stdout.toString(), stderr: `${stderr.toString()}${error !== null && typeof error.code !== "number" ? `\n${error.message}` : ""}` });
      },
    );
  });
}

export const podman = (args: readonly string[], timeoutMs?: number): Promise<Run> => run("podman", args, { timeoutMs });

/** Fails with what the command printed when it did not exit 0. */
export function expectSuccess(result: Run, what: string): Run {
  if (result.code !== 0) throw new Error(`${what} failed (exit ${result.code}):\n${result.stdout.slice(-3_000)}\n${result.stderr.slice(-3_000)}`);
  return result;
}

/**
 * Whether a container engine is here. Without one the deploy tests are skipped with one loud
 * line; E2E_REQUIRED=1 (CI) makes that a failure.
 */
export async function containerEngine(suite: string): Promise<boolean> {
  const version = await run("podman", ["--version"]);
  if (version.code === 0) return true;
  const line = `${suite} SKIPPED: no podman (apt-get install -y podman runc)`;
  if (process.env.E2E_REQUIRED === "1") throw new Error(`${line}; E2E_REQUIRED=1 makes this a failure`);
  process.stderr.write(`\n!!!!! ${line} !!!!!\n\n`);
  return false;
}

/** Makes (once, then keeps) the local base image, and builds the Dockerfile on it; returns the build's seconds. */
export async function buildImage(tag: string): Promise<number> {
  expectSuccess(await run("bash", ["e2e/deploy/make-local-base-image.sh", LOCAL_BASE_IMAGE, "podman"], { timeoutMs: 15 * 60_000 }), "making the local base image");
  const started = Date.now();
  // Docker format: OCI images drop HEALTHCHECK. Host network: the build reaches the npm registry as this host does.
  expectSuccess(
    await podman(["build", "--format", "docker", "--network", "host", "--build-arg", `BASE_IMAGE=${LOCAL_BASE_IMAGE}`, "-t", tag, "."], 20 * 60_000),
    `podman build -t ${tag}`,
  );
  return (Date.now() - started) / 1000;
}
