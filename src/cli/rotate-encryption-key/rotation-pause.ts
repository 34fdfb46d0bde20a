import type { Env } from "../../config/env-readers.js";
import { pauseForKill } from "../shared/pause-for-kill.js";

/** `batch-<n>` or `file-<n>`, counted from 1. */
export type RotationPause = (point: string) => void;

const POINT = /^(batch|file)-[1-9]\d*$/;

/**
 * TEST-ONLY HOOK for crash tests. ROTATE_ENCRYPTION_KEY_PAUSE_AT=batch-<n> pauses inside the n-th
 * batch's transaction, its rows updated but not committed; file-<n> right after the n-th progress
 * file was replaced. The process then blocks until killed (see pauseForKill). Never set it elsewhere.
 */
export function rotationPauseFromEnv(env: Env): RotationPause {
  const wanted = env.ROTATE_ENCRYPTION_KEY_PAUSE_AT;
  if (wanted === undefined || wanted === "") return () => undefined;
  if (!POINT.test(wanted)) throw new Error(`ROTATE_ENCRYPTION_KEY_PAUSE_AT: "${wanted}" is not batch-<n> or file-<n>`);
  return (point) => {
    if (point === wanted) pauseForKill(point);
  };
}
