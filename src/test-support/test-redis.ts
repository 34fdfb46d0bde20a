import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { serviceTestsRequired } from "./required-tests.js";

const LOCAL_REDIS = "redis://127.0.0.1:6379";

/** The Redis tests may use (TEST_REDIS_URL, else the local one), with a key prefix of their own. */
export interface TestRedis {
  readonly url: string;
  /** Every key a test writes starts with it; cleanup deletes them. */
  readonly prefix: string;
  cleanup(): Promise<void>;
}

/**
 * Why Redis tests cannot run here, or undefined when they can. They skip (saying why) only where
 * they are not required: under `CI` or `E2E_REQUIRED` an unreachable Redis fails them.
 */
export async function testRedisSkipReason(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  if (await answers(env.TEST_REDIS_URL ?? LOCAL_REDIS)) return undefined;
  return serviceTestsRequired(env) ? undefined : `SKIPPED, NOT TESTED: no Redis answers at ${env.TEST_REDIS_URL ?? LOCAL_REDIS} (set TEST_REDIS_URL)`;
}

export function openTestRedis(env: NodeJS.ProcessEnv = process.env): TestRedis {
  const url = env.TEST_REDIS_URL ?? LOCAL_REDIS;
  const prefix = `onboarding-test-${randomBytes(6).toString("hex")}:`;
  return { url, prefix, cleanup: () => deleteKeys(url, prefix) };
}

async function deleteKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { lazyConnect: true });
  await redis.connect();
  try {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
  } finally {
    redis.disconnect();
  }
}

async function answers(url: string): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, connectTimeout: 1_000, maxRetriesPerRequest: 0, retryStrategy: () => null });
  redis.on("error", () => undefined);
  try {
    await redis.connect();
    return (await redis.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}
