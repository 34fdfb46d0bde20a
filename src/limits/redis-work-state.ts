import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import type { Logger } from "pino";
import { LimitsUnavailable } from "../errors/app-errors.js";
import { EXPENSIVE_KINDS, OUTCOME_KEPT_MS, type Admission, type ExpensiveKind, type RunOutcome, type RunState, type SharedWorkState } from "./shared-work-state.js";

// Redis runs several commands atomically only as a Lua script. These four are constants, never
// built from input: keys and values travel as KEYS and ARGV.

// A sorted set of the user's starts (score: when): drop those out of the window, refuse or add.
const ADMIT = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', tonumber(ARGV[1]) - tonumber(ARGV[2]))
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return tonumber(oldest[2]) + tonumber(ARGV[2]) - tonumber(ARGV[1])
end
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return -1`;

// A run is a hash {status, run_id, outcome} whose expiry is the holder's lease: a holder that stops renewing loses it.
const ACQUIRE = `
if redis.call('HGET', KEYS[1], 'status') == 'running' then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'status', 'running', 'run_id', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`;

const RENEW = `
if redis.call('HGET', KEYS[1], 'run_id') == ARGV[1] and redis.call('HGET', KEYS[1], 'status') == 'running' then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`;

const FINISH = `
if redis.call('HGET', KEYS[1], 'run_id') == ARGV[1] then
  redis.call('HSET', KEYS[1], 'status', 'finished', 'outcome', ARGV[2])
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
end
return 0`;

/**
 * The limits in Redis (REDIS_URL): each operation is one Lua script, atomic on the server. Keys
 * expire by themselves (a window, a lease, a minute of outcome), so nothing of a user outlives
 * them. Commands fail at once while Redis is away (no offline queue): the request answers 503
 * instead of hanging.
 */
export class RedisWorkState implements SharedWorkState {
  readonly #redis: Redis;
  readonly #prefix: string;

  private constructor(redis: Redis, prefix: string) {
    this.#redis = redis;
    this.#prefix = prefix;
  }

  /** Connects (the start fails, naming REDIS_URL, when Redis does not answer) and logs each outage once. */
  static async connect(url: URL, prefix: string, logger: Pick<Logger, "warn" | "info">): Promise<RedisWorkState> {
    const redis = new Redis(url.href, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2_000,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
    });
    let down = false;
    redis.on("error", (error: Error) => {
      if (down) return;
      down = true;
      logger.warn({ err: { message: error.message } }, "Redis (REDIS_URL) unreachable: expensive routes answer 503 until it returns");
    });
    redis.on("ready", () => {
      if (down) logger.info("Redis (REDIS_URL) reachable again");
      down = false;
    });
    try {
      await redis.connect();
    } catch (error) {
      redis.disconnect();
      throw new Error(`REDIS_URL: Redis at ${url.host} did not answer (${error instanceof Error ? error.message : String(error)})`, { cause: error });
    }
    return new RedisWorkState(redis, prefix);
  }

  async admit(userId: string, limit: number, windowMs: number, now: number): Promise<Admission> {
    const waitMs = Number(await this.#script(ADMIT, [this.#limitKey(userId)], [now, windowMs, limit, `${now}-${randomUUID()}`]));
    return waitMs < 0 ? { admitted: true } : { admitted: false, retryAfterMs: waitMs };
  }

  async acquire(userId: string, kind: ExpensiveKind, runId: string, _now: number, leaseMs: number): Promise<boolean> {
    return Number(await this.#script(ACQUIRE, [this.#runKey(userId, kind)], [runId, leaseMs])) === 1;
  }

  async renew(userId: string, kind: ExpensiveKind, runId: string, _now: number, leaseMs: number): Promise<void> {
    await this.#script(RENEW, [this.#runKey(userId, kind)], [runId, leaseMs]);
  }

  async finish(userId: string, kind: ExpensiveKind, runId: string, outcome: RunOutcome): Promise<void> {
    await this.#script(FINISH, [this.#runKey(userId, kind)], [runId, JSON.stringify(outcome), OUTCOME_KEPT_MS]);
  }

  async read(userId: string, kind: ExpensiveKind): Promise<RunState | null> {
    const run = await this.#call(() => this.#redis.hgetall(this.#runKey(userId, kind)));
    if (run.run_id === undefined) return null;
    if (run.status === "running") return { runId: run.run_id, running: true };
    return run.outcome === undefined ? null : { runId: run.run_id, running: false, outcome: JSON.parse(run.outcome) as RunOutcome };
  }

  eraseRuns(userId: string): Promise<number> {
    return this.#call(() => this.#redis.del(...EXPENSIVE_KINDS.map((kind) => this.#runKey(userId, kind))));
  }

  async close(): Promise<void> {
    await this.#redis.quit().catch(() => this.#redis.disconnect());
  }

  #limitKey(userId: string): string {
    return `${this.#prefix}limit:${userId}`;
  }

  // The kind has no ':' and comes first, so that no two (kind, user id) pairs make one key.
  #runKey(userId: string, kind: ExpensiveKind): string {
    return `${this.#prefix}run:${kind}:${userId}`;
  }

  #script(script: string, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    return this.#call(() => this.#redis.eval(script, keys.length, ...keys, ...args));
  }

  async #call<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      throw new LimitsUnavailable(error);
    }
  }
}
