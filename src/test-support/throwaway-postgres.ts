import { execFile, execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { serviceTestsRequired } from "./required-tests.js";
import { sparePort } from "./spare-port.js";

const run = promisify(execFile);

/**
 * A PostgreSQL cluster of a test's own (initdb into a temp dir, a spare port on 127.0.0.1), for
 * tests that stop, restart or break the database under a running server. The shared server on
 * 5432 is never touched: other engineers' tests run on it.
 */
export interface ThrowawayPostgres {
  readonly port: number;
  /** `postgres://postgres@127.0.0.1:<port>/postgres` (trust authentication). */
  readonly url: string;
  /** `pg_ctl stop -m <mode>`, waiting until the server is down. */
  stop(mode?: "smart" | "fast" | "immediate"): Promise<void>;
  /** Starts the cluster again on the same port; nothing to do when it runs. */
  start(): Promise<void>;
  /** `pg_terminate_backend` on every other client connection; how many it ended. */
  terminateConnections(): Promise<number>;
  /** Stops the cluster (immediately) and removes its directory. */
  destroy(): Promise<void>;
}

/**
 * Why such a cluster cannot be made on this machine, or undefined when it can. A test skips
 * (saying why) only where it is not required: under `CI` or `E2E_REQUIRED` it runs and fails.
 */
export function throwawayPostgresSkipReason(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const located = locateServerBinaries(env);
  if (!("missing" in located)) return undefined;
  return serviceTestsRequired(env) ? undefined : `SKIPPED, NOT TESTED: ${located.missing} (set POSTGRES_BIN_DIR)`;
}

export async function startThrowawayPostgres(env: NodeJS.ProcessEnv = process.env): Promise<ThrowawayPostgres> {
  const located = locateServerBinaries(env);
  if ("missing" in located) throw new Error(`a throwaway PostgreSQL cluster cannot be made: ${located.missing}`);
  const cluster = new Cluster(located);
  try {
    await cluster.init();
    await cluster.startOnSparePort();
  } catch (error) {
    await cluster.destroy();
    throw error;
  }
  return cluster;
}

interface ServerBinaries {
  readonly bin: string;
  /** Running as root: initdb and postgres refuse root, so they run as this OS user. */
  readonly runAs: string | undefined;
}

function locateServerBinaries(env: NodeJS.ProcessEnv): ServerBinaries | { missing: string } {
  const bin = [env.POSTGRES_BIN_DIR, ...debianBinDirs()].find((dir) => dir !== undefined && existsSync(join(dir, "initdb")) && existsSync(join(dir, "pg_ctl")));
  if (bin === undefined) return { missing: "PostgreSQL's server binaries (initdb, pg_ctl) were not found" };
  if (process.getuid?.() !== 0) return { bin, runAs: undefined };
  return hasOsUser("postgres") ? { bin, runAs: "postgres" } : { missing: "running as root and there is no `postgres` OS user to run initdb as" };
}

/** Debian and Ubuntu keep each major version's server binaries in /usr/lib/postgresql/<major>/bin; newest first. */
function debianBinDirs(): string[] {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((name) => /^\d+$/.test(name))
    .sort((a, b) => Number(b) - Number(a))
    .map((major) => join(root, major, "bin"));
}

function hasOsUser(name: string): boolean {
  try {
    execFileSync("id", ["-u", name], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Clusters still running when the test process exits (a failed test skipped its cleanup) are stopped then. */
const running = new Set<Cluster>();
process.once("exit", () => {
  for (const cluster of running) cluster.stopNow();
});

class Cluster implements ThrowawayPostgres {
  readonly #binaries: ServerBinaries;
  readonly #dir: string;
  #port = 0;

  constructor(binaries: ServerBinaries) {
    this.#binaries = binaries;
    this.#dir = mkdtempSync(join(tmpdir(), "throwaway-pg-"));
    if (binaries.runAs !== undefined) chownSync(this.#dir, osId("-u", binaries.runAs), osId("-g", binaries.runAs));
  }

  get port(): number {
    return this.#port;
  }

  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.#port}/postgres`;
  }

  async init(): Promise<void> {
    // No fsync anywhere: the cluster lives for one test file and holds nothing worth keeping.
    await this.#pg("initdb", ["-D", this.#dataDir, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
  }

  /** A port that was free a moment ago may be taken by the time postgres binds it: try another. */
  async startOnSparePort(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      this.#port = await sparePort();
      try {
        await this.start();
        return;
      } catch (error) {
        if (attempt === 3 || !this.#log().includes("could not bind")) throw error;
      }
    }
  }

  async start(): Promise<void> {
    if (running.has(this)) return;
    const options = `-c listen_addresses=127.0.0.1 -p ${this.#port} -k ${this.#dir} -c fsync=off -c full_page_writes=off`;
    try {
      await this.#pg("pg_ctl", ["start", "-D", this.#dataDir, "-l", this.#logFile, "-w", "-t", "30", "-o", options]);
    } catch (error) {
      throw new Error(`pg_ctl start failed; server log:\n${this.#log().slice(-2_000)}`, { cause: error });
    }
    running.add(this);
  }

  async stop(mode: "smart" | "fast" | "immediate" = "fast"): Promise<void> {
    await this.#pg("pg_ctl", ["stop", "-D", this.#dataDir, "-m", mode, "-w", "-t", "30"]);
    running.delete(this);
  }

  async terminateConnections(): Promise<number> {
    const client = new pg.Client({ connectionString: this.url, connectionTimeoutMillis: 5_000 });
    await client.connect();
    try {
      const result = await client.query<{ ended: number }>(
        "select count(*) filter (where pg_terminate_backend(pid))::int as ended from pg_stat_activity where backend_type = 'client backend' and pid <> pg_backend_pid()",
      );
      return result.rows[0]?.ended ?? 0;
    } finally {
      await client.end();
    }
  }

  async destroy(): Promise<void> {
    if (running.has(this)) await this.stop("immediate").catch(() => this.stopNow());
    rmSync(this.#dir, { recursive: true, force: true });
  }

  /** Synchronous, for the exit hook: nothing asynchronous runs once the process is exiting. */
  stopNow(): void {
    try {
      execFileSync(...this.#command("pg_ctl", ["stop", "-D", this.#dataDir, "-m", "immediate", "-w"]), { stdio: "ignore" });
    } catch {
      // Already down.
    }
    running.delete(this);
  }

  get #dataDir(): string {
    return join(this.#dir, "data");
  }

  get #logFile(): string {
    return join(this.#dir, "server.log");
  }

  #log(): string {
    return existsSync(this.#logFile) ? readFileSync(this.#logFile, "utf8") : "";
  }

  async #pg(program: string, args: string[]): Promise<void> {
    const [file, argv] = this.#command(program, args);
    // cwd: the OS user postgres runs as may not be allowed into the test's working directory.
    await run(file, argv, { cwd: this.#dir, timeout: 60_000 });
  }

  #command(program: string, args: string[]): [string, string[]] {
    const path = join(this.#binaries.bin, program);
    return this.#binaries.runAs === undefined ? [path, args] : ["runuser", ["-u", this.#binaries.runAs, "--", path, ...args]];
  }
}

function osId(flag: "-u" | "-g", user: string): number {
  return Number(execFileSync("id", [flag, user], { encoding: "utf8" }).trim());
}
