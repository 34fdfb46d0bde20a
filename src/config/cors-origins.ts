import { ConfigError } from "./config-error.js";
import { readList, type Env } from "./env-readers.js";

/**
 * CORS_ORIGINS: the exact origins (`https://app.example.com`) whose pages may call the API from a
 * browser. `*` is refused: the API is called with bearer tokens, and a deployment names the front
 * end it trusts. Anything that is not a bare origin (a path, a trailing slash, no scheme) is
 * refused too, because the browser's `Origin` header never carries one, so it could never match.
 */
export function readCorsOrigins(env: Env, name = "CORS_ORIGINS"): readonly string[] {
  const origins = readList(env, name).map((value) => checkedOrigin(name, value));
  return Object.freeze([...new Set(origins)]);
}

function checkedOrigin(name: string, value: string): string {
  if (value === "*" || value.includes("*")) {
    throw new ConfigError(name, `"${value}" is a wildcard: name each origin allowed to call the API, e.g. https://app.example.com`);
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(name, `"${value}" is not an origin (scheme, host and optional port, e.g. https://app.example.com)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ConfigError(name, `"${value}" must use http: or https:`);
  }
  if (url.origin !== value) {
    throw new ConfigError(name, `"${value}" is not an origin: write it as ${url.origin} (no path, no trailing slash, lower case)`);
  }
  return value;
}
