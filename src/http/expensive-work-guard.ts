import { RateLimited } from "../errors/app-errors.js";

export interface GuardOptions {
  /** Starts allowed per user per window. */
  readonly limit: number;
  readonly windowMs: number;
  readonly now?: () => number;
}

/**
 * For work that costs money or minutes (fetching a site, asking a model): at most `limit` starts
 * per user per window (429 with Retry-After past it), and a second request of the same kind
 * while one runs waits for that one's result instead of starting another. State is per process:
 * behind a load balancer each instance limits on its own (see docs/decisions).
 */
export class ExpensiveWorkGuard {
  readonly #options: GuardOptions;
  readonly #starts = new Map<string, number[]>();
  readonly #running = new Map<string, Promise<unknown>>();

  constructor(options: GuardOptions) {
    this.#options = options;
  }

  get limit(): { readonly perWindow: number; readonly windowMs: number } {
    return { perWindow: this.#options.limit, windowMs: this.#options.windowMs };
  }

  /** Joins the user's running work of this kind, or counts a start and runs `task`. */
  run<T>(userId: string, kind: string, task: () => Promise<T>): Promise<T> {
    const running = this.running<T>(userId, kind);
    if (running !== undefined) return running;
    try {
      this.admit(userId);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.track(userId, kind, task);
  }

  /**
   * The pieces of `run`, for a caller that must record something between the admission and the
   * start (the persona task row): the running work, if any...
   */
  running<T>(userId: string, kind: string): Promise<T> | undefined {
    return this.#running.get(keyOf(userId, kind)) as Promise<T> | undefined;
  }

  /** ...counting a start (throws RateLimited past the limit, before anything is written)... */
  admit(userId: string): void {
    const now = (this.#options.now ?? Date.now)();
    const recent = (this.#starts.get(userId) ?? []).filter((at) => at > now - this.#options.windowMs);
    if (recent.length >= this.#options.limit) {
      const retryAfter = Math.max(1, Math.ceil(((recent[0] ?? now) + this.#options.windowMs - now) / 1000));
      throw new RateLimited(`Too many analyses: at most ${this.#options.limit} a minute; try again in ${retryAfter} s`, retryAfter);
    }
    recent.push(now);
    this.#starts.set(userId, recent);
  }

  /** ...and running `task` as the user's work of this kind, which later requests join. */
  track<T>(userId: string, kind: string, task: () => Promise<T>): Promise<T> {
    const key = keyOf(userId, kind);
    const result = task().finally(() => this.#running.delete(key));
    this.#running.set(key, result);
    return result;
  }
}

function keyOf(userId: string, kind: string): string {
  return `${kind}\u0000${userId}`;
}
