import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import type { Env } from "../config/env-readers.js";
import type { TestDatabase } from "../test-support/test-database.js";
import { quoted } from "./upgrade-legacy/shared/quoted.js";
import { query } from "./upgrade-legacy/shared/raw-sql.js";
import type { CliIo } from "./cli-context.js";

/** Test helpers for running the CLI against a test database, in this process or in a child. */

/** Why a test that needs a second process (or DATABASE_URL) cannot run, or undefined when it can. */
export function needsReachableDatabase(test: TestDatabase): string | undefined {
  return test.location === undefined ? "PGlite lives inside this process: no DATABASE_URL can reach it" : undefined;
}

/** DATABASE_URL for the test database; a PostgreSQL schema goes in as the connection's search_path. */
export function databaseUrlOf(test: TestDatabase): string {
  const location = test.location;
  if (location === undefined) throw new Error(needsReachableDatabase(test));
  if (location.dialect === "sqlite") return `sqlite:${location.path}`;
  if (test.schema === undefined) return location.url;
  const separator = location.url.includes("?") ? "&" : "?";
  return `${location.url}${separator}options=${encodeURIComponent(`-c search_path=${test.schema}`)}`;
}

export function cliEnv(test: TestDatabase, extra: Env = {}): Record<string, string> {
  const env: Record<string, string> = {
    DATABASE_URL: databaseUrlOf(test),
    ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    LOG_LEVEL: "warn",
  };
  for (const [name, value] of Object.entries(extra)) if (value !== undefined) env[name] = value;
  return env;
}

export interface CapturedIo extends CliIo {
  readonly stdout: () => string;
  readonly stderr: () => string;
}

export function captureIo(env: Env): CapturedIo {
  const out: string[] = [];
  const err: string[] = [];
  return {
    env,
    out: (text) => void out.push(text),
    err: (text) => void err.push(text),
    stdout: () => out.join(""),
    stderr: () => err.join(""),
  };
}

/** Backup schemas that upgrade-legacy made for the test's schema (PostgreSQL); they live outside it. */
export async function dropBackupSchemas(test: TestDatabase): Promise<void> {
  if (test.database.dialect !== "postgres" || test.schema === undefined) return;
  const schemas = await query<{ nspname: string }>(
    test.database.kysely,
    `select nspname from pg_namespace where nspname like 'legacy\\_backup\\_%\\_${test.schema}'`,
  );
  for (const { nspname } of schemas) await query(test.database.kysely, `drop schema ${quoted(nspname)} cascade`);
}

const REPOSITORY = fileURLToPath(new URL("../../", import.meta.url));

/**
 * Starts `onboarding <args>` as one node process (npx and tsx's CLI would each add a parent a
 * kill -9 misses), waits for it to write `paused:<point>` (see pauseForKill), then kills it with
 * SIGKILL. Rejects when it ends any other way.
 */
export function runUntilPausedThenKill(args: readonly string[], env: Record<string, string>, point: string): Promise<void> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], {
    cwd: REPOSITORY,
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let stderr = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), 45_000);
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
      if (stderr.includes(`paused:${point}\n`)) child.kill("SIGKILL");
    });
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (signal === "SIGKILL" && stderr.includes(`paused:${point}\n`)) resolve();
      else reject(new Error(`${args[0] ?? "the command"} ended (${code ?? signal}) without pausing at ${point}: ${stderr}`));
    });
  });
}
