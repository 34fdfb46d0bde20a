import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clerkIdentity } from "../../src/test-support/clerk-identity.js";
import { buildImage, CONTAINER_ENV, containerEngine, expectSuccess, LOCAL_BASE_IMAGE, podman, run } from "./podman.js";

const PROJECT_NAME = "onboarding-compose-e2e";
const APP_IMAGE = "localhost/onboarding-service:compose";
const LOCAL_IMAGES = { postgres: "localhost/onboarding-postgres:local", redis: "localhost/onboarding-redis:local" } as const;
const INSTANCE_ONE = "http://127.0.0.1:8081";
const INSTANCE_TWO = "http://127.0.0.1:8082";

async function hasCompose(): Promise<boolean> {
  if (!(await containerEngine("COMPOSE TEST"))) return false;
  if ((await run("podman-compose", ["version"])).code === 0) return true;
  const line = "COMPOSE TEST SKIPPED: no podman-compose (apt-get install -y podman-compose)";
  if (process.env.E2E_REQUIRED === "1") throw new Error(`${line}; E2E_REQUIRED=1 makes this a failure`);
  process.stderr.write(`\n!!!!! ${line} !!!!!\n\n`);
  return false;
}
const ready = await hasCompose();

async function until(what: string, attempt: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await attempt().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

/**
 * compose.yaml brought up as it ships (podman-compose): PostgreSQL, Redis, two instances of the
 * image. The one difference: PostgreSQL and Redis are local images built from Debian's packages
 * (e2e/deploy/local-images), passed through the file's POSTGRES_IMAGE and REDIS_IMAGE, since no
 * registry is reachable here. One user writes through one instance and reads Step 6 through the other.
 */
describe.skipIf(!ready)("the compose stack", () => {
  let env: NodeJS.ProcessEnv;
  let token: string;
  const compose = (args: readonly string[], timeoutMs = 300_000) => run("podman-compose", ["-f", "compose.yaml", "-p", PROJECT_NAME, ...args], { env, timeoutMs });
  /** compose down, then whatever it left (a restarting container, the volume): the next run starts from nothing. */
  async function takeDown(): Promise<void> {
    await compose(["down", "-v"]);
    const label = `label=io.podman.compose.project=${PROJECT_NAME}`;
    const containers = (await podman(["ps", "-a", "-q", "--filter", label])).stdout.split("\n").filter(Boolean);
    if (containers.length > 0) await podman(["rm", "-f", ...containers]);
    const volumes = (await podman(["volume", "ls", "-q", "--filter", label])).stdout.split("\n").filter(Boolean);
    if (volumes.length > 0) await podman(["volume", "rm", "-f", ...volumes]);
  }

  beforeAll(async () => {
    await buildImage(APP_IMAGE);
    for (const [name, image] of Object.entries(LOCAL_IMAGES)) {
      if ((await podman(["image", "exists", image])).code === 0) continue;
      expectSuccess(
        await podman(["build", "--network", "host", "--build-arg", `BASE_IMAGE=${LOCAL_BASE_IMAGE}`, "-f", `e2e/deploy/local-images/${name}.Containerfile`, "-t", image, "e2e/deploy/local-images"], 600_000),
        `building the local ${name} image`,
      );
    }
    const identity = await clerkIdentity();
    token = await identity.token("user_compose_stack");
    env = { ...CONTAINER_ENV, ...identity.env, POSTGRES_IMAGE: LOCAL_IMAGES.postgres, REDIS_IMAGE: LOCAL_IMAGES.redis };
    await takeDown();
    // Compose's depends_on conditions, by hand (podman-compose 1.0 starts in order but does not wait for health).
    expectSuccess(await compose(["up", "-d", "--no-build", "postgres", "redis"]), "compose up postgres redis");
    for (const service of ["postgres", "redis"]) {
      await until(`${service} healthy`, async () => (await podman(["healthcheck", "run", `${PROJECT_NAME}_${service}_1`])).code === 0);
    }
    expectSuccess(await compose(["up", "-d", "--no-build", "app-1", "app-2"]), "compose up app-1 app-2");
    for (const instance of [INSTANCE_ONE, INSTANCE_TWO]) {
      await until(`${instance}/readyz`, async () => (await fetch(`${instance}/readyz`)).status === 200);
    }
  }, 30 * 60_000);

  afterAll(async () => {
    if (env !== undefined) await takeDown();
  }, 300_000);

  it("serves one user through two instances: written through one, Step 6 read through the other", async () => {
    const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
    const saved = await fetch(`${INSTANCE_ONE}/api/onboarding/step/1/complete`, {
      method: "POST",
      headers,
      body: JSON.stringify({ data: { api_keys: { openai: "sk-compose-stack-key-4321" } } }),
    });
    expect(saved.status, await saved.clone().text()).toBe(200);
    const summary = await fetch(`${INSTANCE_TWO}/api/onboarding/summary`, { headers });
    expect(summary.status).toBe(200);
    expect(((await summary.json()) as { api_keys: unknown }).api_keys).toEqual({
      count: 1,
      providers: [{ provider: "openai", masked: `${"*".repeat("sk-compose-stack-key-4321".length - 4)}4321` }],
    });
    const status = (await (await fetch(`${INSTANCE_TWO}/api/onboarding/status`, { headers })).json()) as { current_step: number };
    expect(status.current_step).toBe(2);
  });

  it("keeps every service healthy, the instances in database mode on PostgreSQL with Redis", async () => {
    for (const service of ["postgres", "redis", "app-1", "app-2"]) {
      expectSuccess(await podman(["healthcheck", "run", `${PROJECT_NAME}_${service}_1`]), `${service} health check`);
    }
    const logs = await podman(["logs", `${PROJECT_NAME}_app-2_1`]);
    expect(logs.stdout + logs.stderr).toMatch(/"storage_mode":"database".*"database":"postgres/);
  });
});
