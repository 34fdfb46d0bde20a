import { isIP } from "node:net";
import { ConfigError } from "./config-error.js";

export type Env = Readonly<Record<string, string | undefined>>;

/** An unset variable and one set to the empty string both mean "use the default". */
export function readString(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === "" ? undefined : value;
}

export function readEnum<const T extends string>(
  env: Env,
  name: string,
  accepted: readonly T[],
  fallback: T,
): T {
  const value = readString(env, name);
  if (value === undefined) return fallback;
  if ((accepted as readonly string[]).includes(value)) return value as T;
  throw new ConfigError(name, `"${value}" is not one of ${accepted.join(" | ")}`);
}

export function readBoolean(env: Env, name: string, fallback: boolean): boolean {
  const value = readString(env, name)?.toLowerCase();
  if (value === undefined) return fallback;
  if (["true", "1", "yes"].includes(value)) return true;
  if (["false", "0", "no"].includes(value)) return false;
  throw new ConfigError(name, `"${value}" is not a boolean (true | false)`);
}

export function readPort(env: Env, name: string, fallback: number): number {
  const value = readString(env, name);
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(name, `"${value}" is not a port number (0-65535)`);
  }
  return port;
}

export function readInteger(env: Env, name: string, fallback: number, range: { readonly min: number; readonly max: number }): number {
  const value = readString(env, name);
  if (value === undefined) return fallback;
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < range.min || number > range.max) {
    throw new ConfigError(name, `"${value}" is not a whole number from ${range.min} to ${range.max}`);
  }
  return number;
}

export function readUrl(env: Env, name: string, protocols: readonly string[]): URL | undefined {
  const value = readString(env, name);
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(name, `"${value}" is not a URL`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(name, `"${value}" must use ${protocols.join(" or ")}`);
  }
  return url;
}

export function readList(env: Env, name: string): string[] {
  const value = readString(env, name);
  if (value === undefined) return [];
  return value
    .split(",")
    .map((item) => item.trim())
    .filter((item) => item !== "");
}

/** DNS servers as c-ares takes them: `ip`, `ip:port` or `[ipv6]:port`. */
export function readDnsServers(env: Env, name: string): string[] {
  const servers = readList(env, name);
  for (const server of servers) {
    const [, host = server, port] = /^\[(.+)\]:(\d+)$/.exec(server) ?? /^([^:]+):(\d+)$/.exec(server) ?? [];
    const portOk = port === undefined || (Number(port) >= 1 && Number(port) <= 65535);
    if (isIP(host) === 0 || !portOk) throw new ConfigError(name, `"${server}" is not an IP address, ip:port or [ipv6]:port`);
  }
  return servers;
}
