import type { Figure } from "./figures.js";

/** What a part of the suite gets: where to log, and where to leave its cleanups (run even when it fails or overruns). */
export interface PartContext {
  log(line: string): void;
  defer(cleanup: () => Promise<unknown> | unknown): void;
  /** Aborted when the part overran its time bound: loops should stop. */
  readonly signal: AbortSignal;
}

export interface Part {
  readonly name: string;
  /** Past this the part is stopped and counted as a defect. */
  readonly boundSeconds: number;
  run(context: PartContext): Promise<Figure[]>;
}
