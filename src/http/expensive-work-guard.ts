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

  async run<T>(userId: string, kind: string, task: () => Promise<T>): Promise<T> {
    const key = `${kind}\u0000${userId}`;
    const running = this.#running.get(key);
    if (running !== undefined) return running as Promise<T>;
    this.#countStart(userId);
    const result = task().finally(() => this.#running.delete(key));
    this.#running.set(key, result);
    return result;
  }

  #countStart(userId: string): void {
    const now = (this.#options.now ?? Date.now)();
    const recent = (this.#starts.get(userId) ?? []).filter((at) => at > now - this.#options.windowMs);
    if (recent.length >= this.#options.limit) {
      const retryAfter = Math.max(1, Math.ceil(((recent[0] ?? now) + this.#options.windowMs - now) / 1000));
      throw new RateLimited(`Too many analyses: at most ${this.#options.limit} a minute; try again in ${retryAfter} s`, retryAfter);
    }
    recent.push(now);
    this.#starts.set(userId, recent);
  }
}
