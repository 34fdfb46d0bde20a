import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PROVIDERS, type Provider } from "../../onboarding/providers.js";

/**
 * Local development: providers whose `<PROVIDER>_API_KEY` is set in the server's environment
 * or in `.env` in the working directory. Only the provider names leave this function; the keys
 * are never stored, returned or logged.
 */
export function environmentProviders(env: NodeJS.ProcessEnv, workingDir: string): ReadonlySet<Provider> {
  const fromFile = readDotEnv(join(workingDir, ".env"));
  return new Set(
    PROVIDERS.filter((provider) => {
      const name = `${provider.toUpperCase()}_API_KEY`;
      return Boolean(env[name]?.trim() || fromFile.get(name)?.trim());
    }),
  );
}

function readDotEnv(path: string): Map<string, string> {
  if (!existsSync(path)) return new Map();
  const entries = new Map<string, string>();
  for (const line of readFileSync(path, "utf8").split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Z0-9_]+)\s*=\s*(.*?)\s*$/.exec(line);
    if (match?.[1] !== undefined) entries.set(match[1], (match[2] ?? "").replace(/^(['"])(.*)\1$/, "$2"));
  }
  return entries;
}

/** LOCAL_ENV_KEYS: the `<PROVIDER>_API_KEY` of the environment or `.env`, read when a call needs it and kept nowhere. */
export function environmentKey(env: NodeJS.ProcessEnv, workingDir: string, provider: Provider): string | undefined {
  const name = `${provider.toUpperCase()}_API_KEY`;
  const value = env[name]?.trim() || readDotEnv(join(workingDir, ".env")).get(name)?.trim();
  return value === undefined || value === "" ? undefined : value;
}
