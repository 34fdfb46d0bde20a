/** One measured figure beside its goal. `met` undefined: shown for information, judged by nothing. */
export interface Figure {
  readonly part: string;
  readonly name: string;
  readonly value: string;
  readonly goal: string;
  readonly met: boolean | undefined;
}

export function atMost(part: string, name: string, value: number, max: number, unit = ""): Figure {
  return { part, name, value: `${format(value)}${unit}`, goal: `≤ ${format(max)}${unit}`, met: value <= max };
}

export function atLeast(part: string, name: string, value: number, min: number, unit = ""): Figure {
  return { part, name, value: `${format(value)}${unit}`, goal: `≥ ${format(min)}${unit}`, met: value >= min };
}

export function exactly(part: string, name: string, value: string, expected: string): Figure {
  return { part, name, value, goal: `= ${expected}`, met: value === expected };
}

export function info(part: string, name: string, value: string | number, unit = ""): Figure {
  return { part, name, value: typeof value === "number" ? `${format(value)}${unit}` : value, goal: "(info)", met: undefined };
}

export function format(value: number): string {
  if (Number.isInteger(value)) return value.toLocaleString("en-US");
  return Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 10 ? value.toFixed(1) : value.toFixed(2);
}

/** The one table the suite prints at the end: part, figure, value, goal, verdict. */
export function figureTable(figures: readonly Figure[]): string {
  const rows = figures.map((f) => [f.part, f.name, f.value, f.goal, f.met === undefined ? "" : f.met ? "met" : "MISSED"]);
  const header = ["part", "figure", "value", "goal", ""];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: readonly string[]) => cells.map((cell, i) => (i === 2 ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join("  ").trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}
