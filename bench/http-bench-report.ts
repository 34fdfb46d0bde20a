import type { LoadFigures } from "./http-bench-load.js";

export interface RoundFigures {
  readonly round: number;
  readonly coldStartMs: Record<string, number>;
  /** By "<target> <route>", e.g. "sqlite-dual GET /summary". */
  readonly routes: Record<string, LoadFigures>;
  sqliteWriteCeiling: number | undefined;
}

interface Goal {
  readonly figure: string;
  readonly value: number | undefined;
  readonly unit: string;
  readonly ceiling?: { readonly label: string; readonly value: number | undefined };
  /** What the value (or its ratio to the ceiling, when there is one) must be. */
  readonly target: { readonly at: "least" | "most"; readonly bound: number; readonly of: "ratio" | "value" };
}

export interface HttpBenchReport {
  readonly means: Record<string, LoadFigures>;
  readonly coldStartMs: Record<string, number>;
  readonly goals: { figure: string; value: number | undefined; ceiling: number | undefined; ratio: number | undefined; met: boolean }[];
}

/** Means over the rounds, every route's figures, then the issue's goals each beside its ceiling and verdict. */
export function printReport(
  rounds: readonly RoundFigures[],
  setup: { users: number; population: number; connections: number; durationSeconds: number },
  line: (text: string) => void,
): HttpBenchReport {
  const means = meanRoutes(rounds);
  const coldStartMs = meanRecord(rounds.map((round) => round.coldStartMs));
  const hello = means["hello-world hello"];
  line("");
  line(`means of ${rounds.length} round(s); ${setup.users} users measured, ${setup.population} in the database (rows marked @P: P), ${setup.connections} connections, ${setup.durationSeconds} s per route`);
  line(pad(["target and route", "req/s", "× hello", "p50 ms", "p99 ms", "CPU µs/req", "× hello", "RSS MB", "failed"]));
  for (const [key, figures] of Object.entries(means)) {
    line(
      pad([
        key,
        fixed(figures.requestsPerSecond, 0),
        hello === undefined ? "" : fixed(figures.requestsPerSecond / hello.requestsPerSecond, 3),
        fixed(figures.p50Ms, 1),
        fixed(figures.p99Ms, 1),
        fixed(figures.cpuUsPerRequest, 0),
        hello === undefined ? "" : fixed(figures.cpuUsPerRequest / hello.cpuUsPerRequest, 1),
        fixed(figures.maxRssMb, 0),
        String(figures.failures),
      ]),
    );
  }
  line(`cold start to a 200 from /readyz: ${Object.entries(coldStartMs).map(([name, ms]) => `${name} ${fixed(ms, 0)} ms`).join(", ")}`);
  const ceiling = mean(rounds.map((round) => round.sqliteWriteCeiling).filter((value): value is number => value !== undefined));
  if (ceiling !== undefined) line(`raw better-sqlite3, the two writes of a step-3 save: ${fixed(ceiling, 0)} transactions/s`);
  const goals = goalsOf(means, coldStartMs).map(judge);
  line("");
  line(pad(["goal", "measured", "ceiling", "ratio", "target", "verdict"]));
  for (const goal of goals) line(goal.text);
  const failures = Object.values(means).reduce((sum, figures) => sum + figures.failures, 0);
  if (failures > 0) {
    line(`${failures} requests failed: the figures above are not clean`);
    process.exitCode = 1;
  }
  return { means, coldStartMs, goals: goals.map(({ text: _text, ...goal }) => goal) };
}

function goalsOf(means: Record<string, LoadFigures>, coldStartMs: Record<string, number>): Goal[] {
  const hello = means["hello-world hello"];
  const summary = means["sqlite-dual GET /summary"];
  const helloRate = { label: "hello-world", value: hello?.requestsPerSecond };
  return [
    { figure: "GET /summary, SQLite dual: req/s", value: summary?.requestsPerSecond, unit: "req/s", ceiling: helloRate, target: { at: "least", bound: 0.2, of: "ratio" } },
    { figure: "GET /summary, SQLite dual: CPU/request", value: summary?.cpuUsPerRequest, unit: "µs", ceiling: { label: "hello-world", value: hello?.cpuUsPerRequest }, target: { at: "most", bound: 5, of: "ratio" } },
    { figure: "GET /summary, SQLite dual: p99", value: summary?.p99Ms, unit: "ms", target: { at: "most", bound: 5, of: "value" } },
    { figure: "PUT /step/3, SQLite database: req/s", value: means["sqlite-database PUT /step/3"]?.requestsPerSecond, unit: "req/s", ceiling: helloRate, target: { at: "least", bound: 0.12, of: "ratio" } },
    { figure: "PUT /step/3, SQLite dual vs database", value: means["sqlite-dual PUT /step/3"]?.requestsPerSecond, unit: "req/s", ceiling: { label: "database mode", value: means["sqlite-database PUT /step/3"]?.requestsPerSecond }, target: { at: "least", bound: 0.8, of: "ratio" } },
    { figure: "GET /summary, PostgreSQL vs SQLite", value: means["postgres-database GET /summary"]?.requestsPerSecond, unit: "req/s", ceiling: { label: "SQLite dual", value: summary?.requestsPerSecond }, target: { at: "least", bound: 0.5, of: "ratio" } },
    { figure: "RSS under the summary load, SQLite dual", value: summary?.maxRssMb, unit: "MB", ceiling: { label: "hello-world", value: hello?.maxRssMb }, target: { at: "most", bound: 150, of: "value" } },
    { figure: "cold start to ready, SQLite dual", value: coldStartMs["sqlite-dual"], unit: "ms", ceiling: { label: "hello-world", value: coldStartMs["hello-world"] }, target: { at: "most", bound: 400, of: "value" } },
  ];
}

function judge(goal: Goal) {
  const ceiling = goal.ceiling?.value;
  const ratio = goal.value !== undefined && ceiling !== undefined ? goal.value / ceiling : undefined;
  const judged = goal.target.of === "ratio" ? ratio : goal.value;
  const met = judged !== undefined && (goal.target.at === "least" ? judged >= goal.target.bound : judged <= goal.target.bound);
  const target = `${goal.target.at === "least" ? ">=" : "<="} ${goal.target.bound}${goal.target.of === "value" ? ` ${goal.unit}` : ""}`;
  const text = pad([
    goal.figure,
    goal.value === undefined ? "not run" : `${fixed(goal.value, 1)} ${goal.unit}`,
    goal.ceiling === undefined || ceiling === undefined ? "" : `${goal.ceiling.label} ${fixed(ceiling, 1)}`,
    ratio === undefined ? "" : fixed(ratio, 3),
    target,
    judged === undefined ? "not run" : met ? "met" : "MISSED",
  ]);
  return { figure: goal.figure, value: goal.value, ceiling, ratio, met, text };
}

function meanRoutes(rounds: readonly RoundFigures[]): Record<string, LoadFigures> {
  const keys = [...new Set(rounds.flatMap((round) => Object.keys(round.routes)))];
  const means: Record<string, LoadFigures> = {};
  for (const key of keys) {
    const runs = rounds.map((round) => round.routes[key]).filter((figures): figures is LoadFigures => figures !== undefined);
    const of = (pick: (figures: LoadFigures) => number) => mean(runs.map(pick)) as number;
    means[key] = {
      requestsPerSecond: of((f) => f.requestsPerSecond),
      p50Ms: of((f) => f.p50Ms),
      p99Ms: of((f) => f.p99Ms),
      requests: of((f) => f.requests),
      failures: runs.reduce((sum, f) => sum + f.failures, 0),
      cpuUsPerRequest: of((f) => f.cpuUsPerRequest),
      maxRssMb: Math.max(...runs.map((f) => f.maxRssMb)),
    };
  }
  return means;
}

function meanRecord(records: readonly Record<string, number>[]): Record<string, number> {
  const keys = [...new Set(records.flatMap((record) => Object.keys(record)))];
  return Object.fromEntries(keys.map((key) => [key, mean(records.map((record) => record[key]).filter((v): v is number => v !== undefined)) as number]));
}

function mean(values: readonly number[]): number | undefined {
  return values.length === 0 ? undefined : values.reduce((sum, value) => sum + value, 0) / values.length;
}

function fixed(value: number, digits: number): string {
  return Number.isFinite(value) ? value.toFixed(digits) : "n/a";
}

const WIDTHS = [44, 14, 22, 8, 10, 8, 10, 8, 7];

function pad(cells: readonly string[]): string {
  return cells.map((cell, index) => cell.padEnd(WIDTHS[index] ?? 10)).join(" ").trimEnd();
}
