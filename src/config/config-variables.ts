import { loadConfig } from "./config.js";
import type { Env } from "./env-readers.js";

/**
 * Every environment variable the configuration reads, found by letting loadConfig read an empty
 * environment and recording each name it asks for: one list, which cannot drift from the code.
 * The deploy files' test checks that each variable they set is one of these (no typo can ship).
 */
export function configVariables(): ReadonlySet<string> {
  const read = new Set<string>();
  const recording = new Proxy({} as Env, {
    get(_target, name) {
      if (typeof name === "string") read.add(name);
      return undefined;
    },
  });
  loadConfig(recording);
  return read;
}
