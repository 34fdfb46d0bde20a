import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseEnv } from "node:util";
import { PROVIDERS, type Provider } from "../../onboarding/providers.js";

/**
 * Local development: providers whose `<PROVIDER>_API_KEY` is set in the server's environment
 * or in `.env` in the working directory. Only the provider names leave this function; the keys
 * are never stored, returned or logged.
 */
export function environmentProviders(env: NodeJS.ProcessEnv, workingDir: string): ReadonlySet<Provider> {
  const fromFile = readDotEnv(join(workingDir, ".env"));
  return new Set(PROVIDERS.filter((provider) => keyIn(env, fromFile, provider) !== undefined));
}

/** Node's own `.env` parser (the one `--env-file` uses): quotes, comments, `export`, CRLF (decision 0017). */
function readDotEnv(path: string): NodeJS.Dict<string> {
  return existsSync(path) ? parseEnv(readFileSync(path, "utf8")) : {};
}

/** LOCAL_ENV_KEYS: the `<PROVIDER>_API_KEY` of the environment or `.env`, read when a call needs it and kept nowhere. */
export function environmentKey(env: NodeJS.ProcessEnv, workingDir: string, provider: Provider): string | undefined {
  return keyIn(env, readDotEnv(join(workingDir, ".env")), provider);
}

/** `<PROVIDER>_API_KEY`, the environment's before the file's; blank counts as unset. */
function keyIn(env: NodeJS.ProcessEnv, fromFile: NodeJS.Dict<string>, provider: Provider): string | undefined {
  const name = `${provider.toUpperCase()}_API_KEY`;
  const value = env[name]?.trim() || fromFile[name]?.trim();
  return value === undefined || value === "" ? undefined : value;
}
