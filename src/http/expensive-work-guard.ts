import { randomUUID } from "node:crypto";
import { AppError, RateLimited, type FieldError } from "../errors/app-errors.js";
import type { ExpensiveKind, RunOutcome, SharedError, SharedWorkState } from "../limits/shared-work-state.js";

export interface GuardOptions {
  /** Starts allowed per user per window. */
  readonly limit: number;
  readonly windowMs: number;
  readonly now?: () => number;
}

/**
 * A run's holder renews it this often; one not renewed for LEASE_MS belongs to an instance that
 * stopped, and the next request takes it over. Waiting requests poll the run at most every
 * MAX_POLL_MS (starting at MIN_POLL_MS: most runs that are waited for end within a second).
 */
const LEASE_MS = 15_000;
const RENEW_MS = 5_000;
const MIN_POLL_MS = 25;
const MAX_POLL_MS = 250;

/**
 * For work that costs money or minutes (fetching a site, asking a model): at most `limit` starts
 * per user per window (429 with Retry-After past it), and a second request of the same kind while
 * one runs waits for that one's result instead of starting another. Both hold across every app
 * instance: the starts and the runs live in `SharedWorkState` (the database, or Redis), see
 * decision 0012. Inside one process a second request joins the first's promise directly.
 */
export class ExpensiveWorkGuard {
  readonly #shared: SharedWorkState;
  readonly #options: GuardOptions;
  readonly #running = new Map<string, Promise<unknown>>();

  constructor(shared: SharedWorkState, options: GuardOptions) {
    this.#shared = shared;
    this.#options = options;
  }

  get limit(): { readonly perWindow: number; readonly windowMs: number } {
    return { perWindow: this.#options.limit, windowMs: this.#options.windowMs };
  }

  /** Joins the user's running work of this kind (on any instance), or counts a start and runs `task`. */
  run<T>(userId: string, kind: ExpensiveKind, task: () => Promise<T>): Promise<T> {
    return this.track(userId, kind, async () => {
      await this.admit(userId);
      return task();
    });
  }

  /**
   * The pieces of `run`, for a caller that must record something between the admission and the
   * start (the persona task row): this process's running work, if any...
   */
  running<T>(userId: string, kind: ExpensiveKind): Promise<T> | undefined {
    return this.#running.get(keyOf(userId, kind)) as Promise<T> | undefined;
  }

  /** ...counting a start (throws RateLimited past the limit, before anything is written)... */
  async admit(userId: string): Promise<void> {
    const { limit, windowMs } = this.#options;
    const admission = await this.#shared.admit(userId, limit, windowMs, this.#now());
    if (admission.admitted) return;
    // Instances' clocks differ a little: never more than a window, never less than a second.
    const retryAfter = Math.max(1, Math.ceil(Math.min(admission.retryAfterMs, windowMs) / 1000));
    throw new RateLimited(`Too many analyses: at most ${limit} a minute; try again in ${retryAfter} s`, retryAfter);
  }

  /**
   * ...and running `task` as the user's work of this kind, which later requests join; when
   * another instance runs it already, waiting for that one's outcome instead.
   */
  track<T>(userId: string, kind: ExpensiveKind, task: () => Promise<T>): Promise<T> {
    const local = this.running<T>(userId, kind);
    if (local !== undefined) return local;
    const key = keyOf(userId, kind);
    const result = this.#acrossInstances(userId, kind, task).finally(() => this.#running.delete(key));
    this.#running.set(key, result);
    return result;
  }

  /** Right to erasure: the user's runs and their outcomes (the counted starts stay for their minute). */
  eraseRuns(userId: string): Promise<number> {
    return this.#shared.eraseRuns(userId);
  }

  async #acrossInstances<T>(userId: string, kind: ExpensiveKind, task: () => Promise<T>): Promise<T> {
    for (;;) {
      const runId = randomUUID();
      if (await this.#shared.acquire(userId, kind, runId, this.#now(), LEASE_MS)) return this.#hold(userId, kind, runId, task);
      const outcome = await this.#outcomeOfOther(userId, kind);
      // The holder went silent (its instance stopped) or the user was erased: try to take the run.
      if (outcome === undefined) continue;
      if (outcome.ok) return outcome.value as T;
      throw new SharedWorkFailed(outcome.error);
    }
  }

  async #hold<T>(userId: string, kind: ExpensiveKind, runId: string, task: () => Promise<T>): Promise<T> {
    const renewal = setInterval(() => {
      // A renewal that fails (the database away) is tried again; the lease outlasts two misses.
      this.#shared.renew(userId, kind, runId, this.#now(), LEASE_MS).catch(() => undefined);
    }, RENEW_MS).unref();
    let outcome: RunOutcome;
    try {
      const value = await task();
      outcome = { ok: true, value };
      return value;
    } catch (error) {
      outcome = { ok: false, error: sharedError(error) };
      throw error;
    } finally {
      clearInterval(renewal);
      // Not recorded (the database away): waiting requests take the run over once the lease runs out.
      await this.#shared.finish(userId, kind, runId, outcome!, this.#now()).catch(() => undefined);
    }
  }

  /** Polls the run another instance holds until it ends; undefined when it vanished without an outcome. */
  async #outcomeOfOther(userId: string, kind: ExpensiveKind): Promise<RunOutcome | undefined> {
    for (let pause = MIN_POLL_MS; ; pause = Math.min(pause * 2, MAX_POLL_MS)) {
      await new Promise((resolve) => setTimeout(resolve, pause));
      const state = await this.#shared.read(userId, kind, this.#now(), LEASE_MS);
      if (state === null) return undefined;
      if (!state.running) return state.outcome;
    }
  }

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }
}

/** The error that ended a run on another instance, answered as that instance answered it. */
export class SharedWorkFailed extends AppError {
  readonly code: string;
  readonly status: number;
  override readonly retryAfterSeconds: number | undefined;

  constructor(error: SharedError) {
    super(error.message, error.errors);
    this.code = error.code;
    this.status = error.status;
    this.retryAfterSeconds = error.retryAfterSeconds;
  }
}

/** Only what an answer shows: our own errors as they are, anything else as an internal error. */
function sharedError(error: unknown): SharedError {
  if (error instanceof AppError) {
    return { status: error.status, code: error.code, message: error.message, errors: error.errors as FieldError[], retryAfterSeconds: error.retryAfterSeconds };
  }
  return { status: 500, code: "internal_error", message: "Something went wrong on our side; it has been logged", errors: [], retryAfterSeconds: undefined };
}

function keyOf(userId: string, kind: string): string {
  return `${kind}\u0000${userId}`;
}
