import { existsSync } from "node:fs";
import { delimiter, join } from "node:path";

/** Debian's Chromium (never a downloaded browser): CHROMIUM_PATH, else /usr/bin/chromium, else `chromium` on PATH. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.CHROMIUM_PATH) return existsSync(env.CHROMIUM_PATH) ? env.CHROMIUM_PATH : null;
  const candidates = ["/usr/bin/chromium", ...(env.PATH ?? "").split(delimiter).filter(Boolean).map((dir) => join(dir, "chromium"))];
  return candidates.find((path) => existsSync(path)) ?? null;
}

/** Headless, sandbox-free (CI runs as root), quiet: nothing leaves the machine. */
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
