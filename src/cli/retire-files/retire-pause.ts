import type { Env } from "../../config/env-readers.js";
import { pauseForKill } from "../shared/pause-for-kill.js";

export type RetirePause = (point: string) => void;

/** The points a kill test stops retire-files at, in the order it passes them. */
const POINT = /^(archive-written|archive-verified|archive-in-place|removed-[1-9]\d*|removed-all)$/;

/**
 * TEST-ONLY HOOK for crash tests. RETIRE_FILES_PAUSE_AT=archive-written pauses once the
 * archive is written under its temporary name and synced; archive-verified once it was read
 * back and checked, before it is renamed into place; archive-in-place after the rename, before
 * any file is removed; removed-<n> right after the n-th file was removed; removed-all after the
 * last. The process then blocks until killed (see pauseForKill). Never set it elsewhere.
 */
export function retirePauseFromEnv(env: Env): RetirePause {
  const wanted = env.RETIRE_FILES_PAUSE_AT;
  if (wanted === undefined || wanted === "") return () => undefined;
  if (!POINT.test(wanted)) throw new Error(`RETIRE_FILES_PAUSE_AT: "${wanted}" is not a pause point of retire-files`);
  return (point) => {
    if (point === wanted) pauseForKill(point);
  };
}
