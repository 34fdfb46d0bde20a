import type { OutputStream } from "./command-io.js";

/** Every report is one data object: `--json` prints it whole, otherwise `toText` renders it for people. */
export function printReport<T>(out: OutputStream, report: T, json: boolean, toText: (report: T) => readonly string[]): void {
  out.write(json ? `${JSON.stringify(report, null, 2)}\n` : `${toText(report).join("\n")}\n`);
}

export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`;
}
