import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { StorageMode } from "../config/config.js";
import type { Database } from "../db/database.js";
import type { SaveAction, SaveObserver } from "../onboarding/wizard.js";
import type { StorageMetrics } from "../storage/storage-metrics.js";
import { processMetricsRegistry } from "./process-metrics.js";

/** What the metrics read when scraped, besides what they count themselves. */
export interface MetricsSources {
  readonly storageMode: StorageMode;
  readonly database: Database;
  readonly storage: StorageMetrics;
  /** Persona tasks per status, across every instance (they live in the database). */
  readonly personaTasksByStatus: () => Promise<Readonly<Record<string, number>>>;
}

/** Requests that matched no route are labelled with this instead of their URL, which the client chooses. */
export const UNMATCHED_ROUTE = "unmatched";

/** Seconds. From a cached read (~1 ms) to a model call (30 s at most). */
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** How long a scrape waits for the database before it reports it as down. */
const SCRAPE_QUERY_TIMEOUT_MS = 1_000;

interface RequestChildren {
  readonly count: { inc(): void };
  readonly latency: { observe(seconds: number): void };
}

/**
 * The operators' view of one app (GET /metrics, Prometheus text format). Per request it costs one
 * onResponse hook: a map lookup for the (method, route pattern, status) children, made once per
 * combination, then one increment and one histogram observation. Everything else (pool, tasks,
 * file-mirror failures, database reachability) is read when Prometheus scrapes.
 */
export class AppMetrics implements SaveObserver {
  readonly #registry = new Registry();
  readonly #both: Registry;
  readonly #requests: Counter<"method" | "route" | "status_code">;
  readonly #latency: Histogram<"method" | "route" | "status_code">;
  readonly #saves: Counter<"step" | "action" | "storage_mode">;
  readonly #children = new Map<string, RequestChildren>();
  readonly #storageMode: StorageMode;

  constructor(sources: MetricsSources) {
    this.#storageMode = sources.storageMode;
    const registers = [this.#registry];
    this.#requests = new Counter({
      name: "http_requests_total",
      help: "Requests answered, by method, route pattern (never the raw URL) and status code",
      labelNames: ["method", "route", "status_code"],
      registers,
    });
    this.#latency = new Histogram({
      name: "http_request_duration_seconds",
      help: "Time from the request's arrival to its answer, by method, route pattern and status code",
      labelNames: ["method", "route", "status_code"],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.#saves = new Counter({
      name: "onboarding_step_saves_total",
      help: "Successful saves of a wizard step (draft, complete, skip), by step and storage mode",
      labelNames: ["step", "action", "storage_mode"],
      registers,
    });
    registerScrapedMetrics(registers, sources);
    this.#both = Registry.merge([processMetricsRegistry(), this.#registry]);
  }

  get contentType(): string {
    return this.#both.contentType;
  }

  /** The onResponse hook. */
  readonly observeResponse = (request: FastifyRequest, reply: FastifyReply, done: () => void): void => {
    const route = request.is404 ? UNMATCHED_ROUTE : (request.routeOptions.url ?? UNMATCHED_ROUTE);
    const key = `${request.method} ${route} ${reply.statusCode}`;
    let children = this.#children.get(key);
    if (children === undefined) {
      const labels = [request.method, route, String(reply.statusCode)];
      children = { count: this.#requests.labels(...labels), latency: this.#latency.labels(...labels) };
      this.#children.set(key, children);
    }
    children.count.inc();
    children.latency.observe(reply.elapsedTime / 1000);
    done();
  };

  recordSave(step: number, action: SaveAction): void {
    this.#saves.inc({ step: String(step), action, storage_mode: this.#storageMode });
  }

  text(): Promise<string> {
    return this.#both.metrics();
  }
}

function registerScrapedMetrics(registers: Registry[], sources: MetricsSources): void {
  const { database, storage } = sources;
  new Counter({
    name: "onboarding_file_mirror_failures_total",
    help: "Progress files not written in dual mode (the database holds the data; `reconcile --fix` repairs them)",
    registers,
    collect() {
      this.reset();
      this.inc(storage.snapshot().file_write_failures);
    },
  });
  const connections = database.connections;
  new Gauge({
    name: "onboarding_database_connections_in_use",
    help: "Database connections held by a query or transaction (PostgreSQL: checked out of the pool; SQLite: its one connection)",
    registers,
    collect() {
      this.set(connections().inUse);
    },
  });
  new Gauge({
    name: "onboarding_database_connections_waiting",
    help: "Callers waiting for a database connection (the pool is exhausted, or SQLite's one connection is busy)",
    registers,
    collect() {
      this.set(connections().waiting);
    },
  });
  new Gauge({
    name: "onboarding_database_connections_max",
    help: "The most database connections this process opens (the pool size; 1 for SQLite)",
    registers,
    collect() {
      this.set(connections().max);
    },
  });
  new Gauge({
    name: "onboarding_database_up",
    help: "1 when the database answered this scrape's ping within a second, else 0",
    registers,
    async collect() {
      this.set((await withinScrapeTimeout(database.ping().then(() => true))) ? 1 : 0);
    },
  });
  new Gauge({
    name: "onboarding_persona_tasks",
    help: "Persona generation tasks kept in the database (all instances), by status; absent while the database does not answer",
    labelNames: ["status"],
    registers,
    async collect() {
      this.reset();
      const counts = await withinScrapeTimeout(sources.personaTasksByStatus());
      if (counts === undefined) return;
      for (const [status, count] of Object.entries(counts)) this.set({ status }, count);
    },
  });
}

/** The value, or undefined when it failed or took longer than a scrape should wait. */
async function withinScrapeTimeout<T>(work: Promise<T>): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), SCRAPE_QUERY_TIMEOUT_MS);
  });
  try {
    return await Promise.race([work, timeout]);
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}
