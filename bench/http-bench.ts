import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { freePort, startBenchServer } from "./bench-server-process.js";
import { createPostgresBenchDatabase, DEFAULT_POSTGRES_URL, type BenchDatabase } from "./bench-postgres-database.js";
import { measureRoute, type LoadOptions } from "./http-bench-load.js";
import { growPopulation } from "./population-growth.js";
import { printReport, type RoundFigures } from "./http-bench-report.js";
import { printScale } from "./http-bench-scale.js";
import { helloTarget, HELLO_ROUTE, ourTarget, OUR_ROUTES, type BenchTarget } from "./http-bench-targets.js";
import { prepareUsers, signIn } from "./http-bench-users.js";
import { sqliteStepThreeWriteCeiling } from "./sqlite-write-ceiling.js";

interface HttpBenchOptions extends LoadOptions {
  readonly users: number;
  /** The sizes of database measured side by side, each configuration getting one database per size; `users` of them are measured. */
  readonly populations: readonly number[];
  readonly rounds: number;
  readonly postgresUrl: string | undefined;
  readonly logLevel: string;
  readonly only: readonly string[] | undefined;
  readonly routes: readonly string[] | undefined;
}

const PROJECT = fileURLToPath(new URL("..", import.meta.url));

/**
 * `npm run bench -- http [--users N] [--populations P,P…] [--rounds R] [--duration S] [--connections C]
 * [--no-postgres] [--postgres URL] [--only name,name] [--routes 'GET /summary,PUT /step/3'] [--log-level L]`:
 * a bare Fastify hello-world and our built server (SQLite dual, SQLite database, PostgreSQL
 * database) in the same run; N users onboarded through the API, then GET /summary, GET /status,
 * PUT /step/3 and POST /api-keys under autocannon, R rounds in alternating order. Prints the
 * figures beside the ceilings and writes bench/results/http.json. With `--populations
 * 10000,100000` every configuration has one database per size (the N measured users, grown with
 * copies of one of them: population-growth.ts), all measured in the same alternating rounds,
 * and the largest size's figures are compared with the smallest's: this machine's speed drifts
 * by more than the goal's 10 % over minutes, so the sizes are measured side by side, not one
 * after the other.
 */
export async function httpBench(args: readonly string[]): Promise<void> {
  const options = parseOptions(args);
  const root = mkdtempSync(join(tmpdir(), "http-bench-"));
  const postgres: BenchDatabase[] = [];
  try {
    line("building the server (npm run build) ...");
    execFileSync("npm", ["run", "build", "--silent"], { cwd: PROJECT, stdio: "inherit" });
    const targets: PopulationTarget[] = [];
    for (const population of options.populations) {
      const database = options.postgresUrl === undefined ? undefined : await createPostgresBenchDatabase(options.postgresUrl);
      if (database !== undefined) postgres.push(database);
      const suffix = population === options.populations[0] ? "" : `@${population}`;
      targets.push(...(await ourTargets(join(root, String(population)), options, database, suffix)).map((target) => ({ target, population })));
    }
    const userIds = await prepareAll(targets, options.users);
    const rounds: RoundFigures[] = [];
    for (let round = 1; round <= options.rounds; round++) {
      const order = [helloTarget(), ...targets.map(({ target }) => target)];
      rounds.push(await measureRound(round % 2 === 1 ? order : order.reverse(), userIds, options, round));
    }
    const setup = { users: options.users, population: options.populations[0]!, connections: options.connections, durationSeconds: options.durationSeconds };
    const report = printReport(rounds, setup, line);
    const largest = options.populations.at(-1)!;
    const scale = options.populations.length > 1 ? printScale(report, rounds, { smallest: options.populations[0]!, largest, suffix: `@${largest}` }, line) : undefined;
    const resultsDir = join(PROJECT, "bench", "results");
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(join(resultsDir, "http.json"), JSON.stringify({ options, rounds, report, scale }, null, 2) + "\n");
    line(`figures written to bench/results/http.json`);
  } finally {
    for (const database of postgres) await database.drop();
    rmSync(root, { recursive: true, force: true });
  }
}

/** A configuration, and how many users its database holds when measured. */
interface PopulationTarget {
  readonly target: BenchTarget;
  readonly population: number;
}

async function ourTargets(root: string, options: HttpBenchOptions, postgres: BenchDatabase | undefined, suffix: string): Promise<BenchTarget[]> {
  const closedLlmPort = await freePort();
  const logLevel = options.logLevel;
  const all = [
    ourTarget({ name: `sqlite-dual${suffix}`, databaseUrl: `sqlite:${join(root, "dual", "onboarding.db")}`, storageMode: "dual", dir: join(root, "dual"), closedLlmPort, logLevel }),
    ourTarget({ name: `sqlite-database${suffix}`, databaseUrl: `sqlite:${join(root, "database", "onboarding.db")}`, storageMode: "database", dir: join(root, "database"), closedLlmPort, logLevel }),
    ...(postgres === undefined
      ? []
      : [ourTarget({ name: `postgres-database${suffix}`, databaseUrl: postgres.url, storageMode: "database", dir: join(root, "postgres"), closedLlmPort, logLevel })]),
  ];
  return options.only === undefined ? all : all.filter((target) => options.only?.includes(target.name.replace(suffix, "")));
}

/** Not timed: each configuration gets the same users, onboarded through its own API, then its database grown to its population. */
async function prepareAll(targets: readonly PopulationTarget[], users: number): Promise<string[]> {
  let userIds: string[] = [];
  for (const { target, population } of targets) {
    const server = await startBenchServer(target.command);
    try {
      const started = Date.now();
      userIds = (await prepareUsers(server.origin, users)).map((user) => user.userId);
      line(`${target.name}: ${users} users onboarded through the API in ${((Date.now() - started) / 1000).toFixed(1)} s (not timed)`);
    } finally {
      await server.stop();
    }
    if (population > users) {
      const started = Date.now();
      await growPopulation(target, userIds[0]!, users, population);
      line(`${target.name}: grown to ${population.toLocaleString("en-US")} users in ${((Date.now() - started) / 1000).toFixed(1)} s (not timed)`);
    }
  }
  return userIds;
}

async function measureRound(order: readonly BenchTarget[], userIds: readonly string[], options: HttpBenchOptions, round: number): Promise<RoundFigures> {
  line(`round ${round}: ${order.map((target) => target.name).join(" → ")}`);
  const figures: RoundFigures = { round, coldStartMs: {}, routes: {}, sqliteWriteCeiling: undefined };
  for (const target of order) {
    const server = await startBenchServer(target.command);
    try {
      figures.coldStartMs[target.name] = server.coldStartMs;
      const isHello = target.name === "hello-world";
      const users = isHello ? [] : await signIn(server.origin, userIds);
      for (const route of isHello ? [HELLO_ROUTE] : OUR_ROUTES.filter((r) => options.routes === undefined || options.routes.includes(r.name))) {
        const measured = await measureRoute(server, route, users, options);
        figures.routes[`${target.name} ${route.name}`] = measured;
        line(`  ${target.name} ${route.name}: ${Math.round(measured.requestsPerSecond)} req/s, p99 ${measured.p99Ms} ms, ${Math.round(measured.cpuUsPerRequest)} µs CPU/request${measured.failures > 0 ? `, ${measured.failures} FAILED` : ""}`);
      }
    } finally {
      await server.stop();
    }
    if (target.name === "sqlite-database" && target.sqlitePath !== undefined) {
      figures.sqliteWriteCeiling = sqliteStepThreeWriteCeiling(target.sqlitePath, Math.min(options.durationSeconds, 5));
    }
  }
  return figures;
}

function parseOptions(args: readonly string[]): HttpBenchOptions {
  const value = (name: string): string | undefined => {
    const index = args.indexOf(name);
    return index === -1 ? undefined : args[index + 1];
  };
  const positive = (name: string, fallback: number): number => {
    const raw = value(name);
    if (raw === undefined) return fallback;
    const parsed = Number(raw);
    if (!Number.isInteger(parsed) || parsed < 1) throw new Error(`${name} needs a positive whole number, not ${JSON.stringify(raw)}`);
    return parsed;
  };
  const users = positive("--users", 1_000);
  return {
    users,
    populations: populations(value("--populations"), users),
    rounds: positive("--rounds", 2),
    durationSeconds: positive("--duration", 10),
    warmupSeconds: positive("--warmup", 2),
    connections: positive("--connections", 32),
    postgresUrl: args.includes("--no-postgres") ? undefined : (value("--postgres") ?? DEFAULT_POSTGRES_URL),
    logLevel: value("--log-level") ?? "info",
    only: value("--only")?.split(","),
    routes: value("--routes")?.split(","),
  };
}

/** `--populations 10000,100000`: increasing sizes, none below the measured users. */
function populations(raw: string | undefined, users: number): number[] {
  if (raw === undefined) return [users];
  const sizes = raw.split(",").map(Number);
  const valid = sizes.every((size, i) => Number.isInteger(size) && size >= users && (i === 0 || size > sizes[i - 1]!));
  if (!valid) throw new Error(`--populations needs increasing whole numbers of at least --users (${users}), not ${JSON.stringify(raw)}`);
  return sizes;
}

function line(text: string): void {
  process.stdout.write(`${text}\n`);
}
