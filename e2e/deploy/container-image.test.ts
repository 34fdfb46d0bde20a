import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clerkIdentity } from "../../src/test-support/clerk-identity.js";
import { closedModelProviders } from "../../src/test-support/closed-model-providers.js";
import { sparePort } from "../../src/test-support/spare-port.js";
import { buildImage, containerEngine, expectSuccess, podman, PROJECT } from "./podman.js";

const TAG = "localhost/onboarding-service:e2e";
const CONTAINER = `onboarding-image-e2e-${process.pid}`;
const hasEngine = await containerEngine("CONTAINER IMAGE TEST");

async function until<T>(what: string, attempt: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await attempt().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/**
 * The Dockerfile (SPEC §11) built and run as a deployment runs it: production settings from the
 * image, the deployment's own from the environment (clerk mode, an encryption key, a database).
 * The base image is a local stand-in for node:24-slim (no registry is reachable here).
 */
describe.skipIf(!hasEngine)("the container image", () => {
  let base: string;
  let buildSeconds: number;
  let token: string;

  beforeAll(async () => {
    buildSeconds = await buildImage(TAG);
    const port = await sparePort();
    const identity = await clerkIdentity();
    const env = {
      ...identity.env,
      PORT: String(port),
      // A trial on SQLite inside the container; the compose file and render.yaml use PostgreSQL.
      DATABASE_URL: "sqlite:/app/data/onboarding.db",
      // Model calls of every provider go nowhere (a closed local port).
      ...closedModelProviders(),
    };
    await podman(["rm", "-f", CONTAINER]);
    // Host network: the image's HOST=0.0.0.0 and PORT are what the service binds, as on a platform.
    expectSuccess(await podman(["run", "-d", "--name", CONTAINER, "--network", "host", ...Object.entries(env).flatMap(([k, v]) => ["-e", `${k}=${v}`]), TAG]), "podman run");
    base = `http://127.0.0.1:${port}`;
    token = await identity.token("user_container_image");
  }, 30 * 60_000);

  afterAll(async () => {
    await podman(["rm", "-f", CONTAINER]);
  });

  it("builds, and says how long it took and what it weighs", async () => {
    const size = Number(expectSuccess(await podman(["image", "inspect", "--format", "{{.Size}}", TAG]), "image inspect").stdout.trim());
    process.stdout.write(`container image: built in ${buildSeconds.toFixed(0)} s, ${(size / 1e6).toFixed(0)} MB\n`);
    expect(size).toBeGreaterThan(50e6);
  });

  it("serves /readyz and one user's wizard from the database", async () => {
    const ready = await until("GET /readyz answers 200", async () => ((await fetch(`${base}/readyz`)).status === 200 ? true : undefined));
    expect(ready).toBe(true);
    const auth = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    const save = await fetch(`${base}/api/onboarding/step/1/complete`, { method: "POST", headers: auth, body: JSON.stringify({ data: { api_keys: { openai: "sk-container-image-0001" } } }) });
    expect(save.status, await save.clone().text()).toBe(200);
    const summary = (await (await fetch(`${base}/api/onboarding/summary`, { headers: auth })).json()) as { api_keys: { count: number } };
    expect(summary.api_keys.count).toBe(1);
    // Clerk mode: the dev-token route does not exist.
    expect((await fetch(`${base}/api/dev/token`, { method: "POST", headers: auth, body: "{}" })).status).toBe(404);
    const page = await fetch(`${base}/`);
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
  });

  it("runs as a non-root user with production dependencies only, and reports healthy", async () => {
    expect(expectSuccess(await podman(["exec", CONTAINER, "id", "-u"]), "id -u").stdout.trim()).toBe("10001");
    // What the lockfile marks dev-only (the dev dependencies and what only they need) is absent; yaml, for one, stays: @fastify/swagger needs it.
    const { packages } = JSON.parse(readFileSync(join(PROJECT, "package-lock.json"), "utf8")) as { packages: Record<string, { dev?: boolean }> };
    const devOnly = Object.entries(packages).filter(([path, entry]) => entry.dev === true && /^node_modules\/(@[^/]+\/)?[^/]+$/.test(path)).map(([path]) => path);
    expect(devOnly).toContain("node_modules/vite");
    const present = await podman(["exec", CONTAINER, "ls", "-d", ...devOnly]);
    expect(present.stdout.trim(), "dev-only packages in the image").toBe("");
    expect(expectSuccess(await podman(["exec", CONTAINER, "ls", "node_modules"]), "ls").stdout).toContain("better-sqlite3");
    expectSuccess(await podman(["healthcheck", "run", CONTAINER]), "podman healthcheck run");
  });

  it("stops on SIGTERM: finishes, exits 0", async () => {
    expectSuccess(await podman(["stop", "--time", "20", CONTAINER], 60_000), "podman stop");
    const state = expectSuccess(await podman(["inspect", "--format", "{{.State.ExitCode}} {{.State.Status}}", CONTAINER]), "inspect").stdout.trim();
    expect(state).toBe("0 exited");
    const logs = await podman(["logs", CONTAINER]);
    expect(logs.stdout + logs.stderr).toContain("SIGTERM received");
  });
});
