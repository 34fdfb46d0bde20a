import { writeSync } from "node:fs";

/**
 * TEST-ONLY: writes `paused:<point>` to stderr and blocks the whole process forever, so that a
 * crash test can `kill -9` it exactly there and check what the data looks like. Synchronous on
 * purpose: code that never yields must pause too, and the line must be out before blocking.
 */
export function pauseForKill(point: string): void {
  writeSync(2, `paused:${point}\n`);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
}
