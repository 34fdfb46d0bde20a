import type { OutputStream } from "./command-io.js";

const REDRAW_EVERY_MS = 100;

/** One `\r` line on a terminal (n/total, files/s); nothing at all when the stream is not a TTY. */
export class ProgressBar {
  readonly #stream: OutputStream;
  readonly #total: number;
  readonly #enabled: boolean;
  readonly #started = performance.now();
  #lastDrawn = 0;

  constructor(stream: OutputStream, total: number) {
    this.#stream = stream;
    this.#total = total;
    this.#enabled = stream.isTTY === true && total > 0;
  }

  update(done: number): void {
    const now = performance.now();
    if (!this.#enabled || (now - this.#lastDrawn < REDRAW_EVERY_MS && done < this.#total)) return;
    this.#lastDrawn = now;
    this.#stream.write(`\r${this.#line(done, now)}`);
  }

  /** Leaves the last figures on screen and moves to a fresh line for the report. */
  finish(done: number): void {
    if (this.#enabled) this.#stream.write(`\r${this.#line(done, performance.now())}\n`);
  }

  #line(done: number, now: number): string {
    const seconds = Math.max((now - this.#started) / 1000, 0.001);
    return `${done}/${this.#total} files  ${Math.round(done / seconds)} files/s`;
  }
}

/** Progress whose total the command learns only at its first report: the bar is made then (never, without a report). */
export interface LateProgressBar {
  readonly onProgress: (done: number, total: number) => void;
  finish(done: number): void;
}

export function lateProgressBar(stream: OutputStream): LateProgressBar {
  let bar: ProgressBar | undefined;
  return {
    onProgress: (done, total) => {
      bar ??= new ProgressBar(stream, total);
      bar.update(done);
    },
    finish: (done) => bar?.finish(done),
  };
}
