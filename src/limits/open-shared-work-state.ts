import type { Logger } from "pino";
import type { SharedLimitsConfig } from "../config/config.js";
import type { Database } from "../db/database.js";
import { DatabaseWorkState } from "./database-work-state.js";
import { RedisWorkState } from "./redis-work-state.js";
import type { SharedWorkState } from "./shared-work-state.js";

/** Redis when REDIS_URL is set, else the app's database: either way, shared by every instance. */
export function openSharedWorkState(config: SharedLimitsConfig, database: Database, logger: Pick<Logger, "warn" | "info">): Promise<SharedWorkState> {
  if (config.redisUrl === undefined) return Promise.resolve(new DatabaseWorkState(database));
  return RedisWorkState.connect(config.redisUrl, config.redisKeyPrefix, logger);
}
