import type { Env } from "../../config/env-readers.js";
import { pauseForKill } from "../shared/pause-for-kill.js";

export const PAUSE_POINTS = ["after-backup", "mid-copy", "before-commit"] as const;
export type PausePoint = (typeof PAUSE_POINTS)[number];
export type Pause = (point: PausePoint) => void;

export const NO_PAUSE: Pause = () => undefined;

/**
 * TEST-ONLY HOOK for crash tests. With UPGRADE_LEGACY_PAUSE_AT=<point> in the environment the
 * upgrade stops at that point, writes `paused:<point>` to stderr and blocks the whole process
 * forever, so that a test can `kill -9` it exactly there and check what the database looks like.
 * Points: after-backup (backup made, nothing changed), mid-copy (inside the transaction, part
 * of the tables rebuilt), before-commit (everything done but the commit). Never set it elsewhere.
 */
export function pauseFromEnv(env: Env): Pause {
  const wanted = env.UPGRADE_LEGACY_PAUSE_AT;
  if (wanted === undefined || wanted === "") return NO_PAUSE;
  if (!(PAUSE_POINTS as readonly string[]).includes(wanted)) {
    throw new Error(`UPGRADE_LEGACY_PAUSE_AT: "${wanted}" is not one of ${PAUSE_POINTS.join(", ")}`);
  }
  return (point) => {
    if (point === wanted) pauseForKill(point);
  };
}
