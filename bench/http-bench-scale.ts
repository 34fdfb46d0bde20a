import type { HttpBenchReport, RoundFigures } from "./http-bench-report.js";

/** The goal: with 100,000 users in the database, the figures stay within 10 % of 10,000. */
const TOLERANCE = 0.1;

export interface ScaleFigure {
  readonly route: string;
  readonly requestsPerSecond: readonly [number, number];
  readonly cpuUsPerRequest: readonly [number, number];
  readonly p99Ms: readonly [number, number];
  /** The req/s ratio in each round on its own: how far apart the rounds are shows what the mean can tell. */
  readonly roundRatios: readonly number[];
  readonly met: boolean;
}

/** The sizes compared: the smallest population's rows have plain names, the largest's carry `suffix` ("sqlite-dual@100000"). */
export interface Populations {
  readonly smallest: number;
  readonly largest: number;
  readonly suffix: string;
}

/**
 * Each route of ours with the largest population beside the smallest, both measured in the same
 * rounds: throughput no more than 10 % lower, CPU per request no more than 10 % higher. p99 is
 * shown, not judged (a single slow request moves it by more than the database's size does). Each
 * round's own req/s ratio is printed too: when they spread wider than the goal, the verdict is
 * noise (bench store-scale measures the same without HTTP, and more steadily).
 */
export function printScale(report: HttpBenchReport, rounds: readonly RoundFigures[], populations: Populations, line: (text: string) => void): ScaleFigure[] {
  const sizes = `${populations.smallest.toLocaleString("en-US")} → ${populations.largest.toLocaleString("en-US")} users`;
  line("");
  line(`the same routes with ${sizes} in the database (goal: req/s ≥ ${1 - TOLERANCE} ×, CPU/request ≤ ${1 + TOLERANCE} ×)`);
  line(pad(["target and route", "req/s", "ratio", "CPU µs/req", "ratio", "p99 ms", "verdict", "req/s ratio by round"]));
  const figures: ScaleFigure[] = [];
  for (const [route, before] of Object.entries(report.means)) {
    const [target, ...rest] = route.split(" ");
    const largest = `${target}${populations.suffix} ${rest.join(" ")}`;
    const after = report.means[largest];
    if (after === undefined) continue;
    const roundRatios = rounds.flatMap((round) => {
      const [small, large] = [round.routes[route], round.routes[largest]];
      return small === undefined || large === undefined ? [] : [large.requestsPerSecond / small.requestsPerSecond];
    });
    const rate = after.requestsPerSecond / before.requestsPerSecond;
    const cpu = after.cpuUsPerRequest / before.cpuUsPerRequest;
    const met = rate >= 1 - TOLERANCE && cpu <= 1 + TOLERANCE;
    figures.push({
      route,
      requestsPerSecond: [before.requestsPerSecond, after.requestsPerSecond],
      cpuUsPerRequest: [before.cpuUsPerRequest, after.cpuUsPerRequest],
      p99Ms: [before.p99Ms, after.p99Ms],
      roundRatios,
      met,
    });
    line(
      pad([
        route,
        `${before.requestsPerSecond.toFixed(0)} → ${after.requestsPerSecond.toFixed(0)}`,
        rate.toFixed(3),
        `${before.cpuUsPerRequest.toFixed(0)} → ${after.cpuUsPerRequest.toFixed(0)}`,
        cpu.toFixed(3),
        `${before.p99Ms.toFixed(1)} → ${after.p99Ms.toFixed(1)}`,
        met ? "met" : "MISSED",
        roundRatios.map((ratio) => ratio.toFixed(2)).join(", "),
      ]),
    );
  }
  return figures;
}

const WIDTHS = [36, 16, 7, 14, 7, 14, 8];

function pad(cells: readonly string[]): string {
  return cells.map((cell, index) => cell.padEnd(WIDTHS[index] ?? 10)).join(" ").trimEnd();
}
