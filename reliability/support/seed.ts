import type { PartContext } from "./part.js";

/** fast-check's seed for a part: RELIABILITY_SEED replays a run, else a new one, logged so that it can be. */
export function reliabilitySeed(context: PartContext): number {
  const seed = Number(process.env.RELIABILITY_SEED ?? Date.now() % 2_147_483_647);
  context.log(`fast-check seed ${seed} (RELIABILITY_SEED=${seed} replays it)`);
  return seed;
}
