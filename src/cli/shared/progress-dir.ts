import type { Config } from "../../config/config.js";
import { CommandRefused } from "./command-io.js";

/**
 * `database` mode has no progress files by design, and its PROGRESS_DIR is unused: a command that
 * reads files there must be told where they are.
 */
export function progressDirFor(config: Pick<Config, "storageMode" | "progressDir">, dir: string | undefined, command: string): string {
  if (dir !== undefined) return dir;
  if (config.storageMode === "database") {
    throw new CommandRefused(
      `${command}: STORAGE_MODE=database keeps no progress files, so PROGRESS_DIR is not used; pass --dir <folder> to name the files' folder`,
    );
  }
  return config.progressDir;
}
