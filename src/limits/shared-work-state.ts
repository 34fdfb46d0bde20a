/** Kinds of expensive work a user can run: one of each at a time, across every instance. */
export const EXPENSIVE_KINDS = ["website", "persona"] as const;
export type ExpensiveKind = (typeof EXPENSIVE_KINDS)[number];

export type Admission = { readonly admitted: true } | { readonly admitted: false; readonly retryAfterMs: number };

/** How a run ended, as the requests that waited for it (on any instance) answer. */
export type RunOutcome =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: SharedError };

/** An error that ended a run, in the terms its HTTP answer needs. */
export interface SharedError {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly errors: readonly { readonly path: string; readonly message: string }[];
  readonly retryAfterSeconds: number | undefined;
}

/** A user's run of one kind: still running (its holder renews it), or finished with an outcome. */
export type RunState = { readonly runId: string; readonly running: true } | { readonly runId: string; readonly running: false; readonly outcome: RunOutcome };

/**
 * The per-user limits of expensive work, kept where every app instance sees them (decision 0012):
 * the database by default, Redis when REDIS_URL is set. Times are epoch milliseconds of the
 * calling instance's clock: instances' clocks must agree to within about a second.
 */
export interface SharedWorkState {
  /** Counts a start unless `limit` starts were counted in the last `windowMs`; else when the oldest leaves the window. */
  admit(userId: string, limit: number, windowMs: number, now: number): Promise<Admission>;
  /** Takes the user's run of `kind` unless another holder runs it and renewed it within `leaseMs`. */
  acquire(userId: string, kind: ExpensiveKind, runId: string, now: number, leaseMs: number): Promise<boolean>;
  /** The holder says it is still running (its lease starts again). */
  renew(userId: string, kind: ExpensiveKind, runId: string, now: number, leaseMs: number): Promise<void>;
  /** The holder's outcome, kept a minute for the requests that wait for it. */
  finish(userId: string, kind: ExpensiveKind, runId: string, outcome: RunOutcome, now: number): Promise<void>;
  /** The user's run of `kind`; null when there is none, or its holder went silent for `leaseMs`. */
  read(userId: string, kind: ExpensiveKind, now: number, leaseMs: number): Promise<RunState | null>;
  /**
   * Right to erasure: the user's runs, whose outcomes hold the user's data. The counted starts
   * stay until their window passes (a minute), or a reset would lift the rate limit.
   */
  eraseRuns(userId: string): Promise<number>;
  close(): Promise<void>;
}

/** How long a finished run's outcome is kept for waiting requests. */
export const OUTCOME_KEPT_MS = 60_000;
