import { ConfigError } from "./config-error.js";

export type DatabaseLocation =
  | { readonly dialect: "sqlite"; readonly path: string }
  | { readonly dialect: "postgres"; readonly url: string };

export const IN_MEMORY_SQLITE = ":memory:";

/** `sqlite:<path>`, `sqlite::memory:`, or a `postgres://` / `postgresql://` URL. */
export function parseDatabaseUrl(value: string, variable = "DATABASE_URL"): DatabaseLocation {
  if (value.startsWith("postgres://") || value.startsWith("postgresql://")) {
    try {
      new URL(value);
    } catch {
      throw new ConfigError(variable, "is not a valid postgres:// URL");
    }
    return { dialect: "postgres", url: value };
  }
  if (value.startsWith("sqlite:")) {
    const path = value.slice("sqlite:".length);
    if (path === "") throw new ConfigError(variable, `"${value}" names no file (use sqlite:<path> or sqlite::memory:)`);
    return { dialect: "sqlite", path };
  }
  throw new ConfigError(
    variable,
    `"${redactUrl(value)}" is not sqlite:<path>, sqlite::memory:, postgres://… or postgresql://…`,
  );
}

/** Never echo a password back in an error or a log line. */
export function redactUrl(value: string): string {
  return value.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");
}

export function describeDatabase(location: DatabaseLocation): string {
  return location.dialect === "sqlite" ? `sqlite:${location.path}` : redactUrl(location.url);
}
