import autocannon from "autocannon";
import type { BenchServer } from "./bench-server-process.js";
import type { BenchUser } from "./http-bench-users.js";

/** One measured route: what a request sends, for whichever user it is made as. */
export interface BenchRoute {
  readonly name: string;
  readonly method: "GET" | "PUT" | "POST";
  readonly path: string;
  readonly body?: string;
  /** The hello-world ceiling is anonymous; every route of ours needs a user's token. */
  readonly authenticated: boolean;
}

export interface LoadFigures {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly requests: number;
  /** Answers other than 2xx, transport errors and timeouts: a run with any is not a clean figure. */
  readonly failures: number;
  readonly cpuUsPerRequest: number;
  readonly maxRssMb: number;
}

export interface LoadOptions {
  readonly connections: number;
  readonly durationSeconds: number;
  readonly warmupSeconds: number;
}

/**
 * Warms the route up, then measures it: autocannon's throughput and latency, and the server's
 * CPU (/proc, all threads) per answered request and peak RSS over the measured window only.
 */
export async function measureRoute(server: BenchServer, route: BenchRoute, users: readonly BenchUser[], options: LoadOptions): Promise<LoadFigures> {
  await runLoad(server, route, users, options.connections, options.warmupSeconds);
  const cpuBefore = server.cpuMs();
  let maxRssKb = server.rssKb();
  const sampler = setInterval(() => (maxRssKb = Math.max(maxRssKb, server.rssKb())), 100);
  try {
    const result = await runLoad(server, route, users, options.connections, options.durationSeconds);
    const cpuMs = server.cpuMs() - cpuBefore;
    const answered = result.requests.total;
    return {
      requestsPerSecond: answered / options.durationSeconds,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      requests: answered,
      failures: result.non2xx + result.errors + result.timeouts,
      cpuUsPerRequest: answered === 0 ? Number.NaN : (cpuMs * 1000) / answered,
      maxRssMb: maxRssKb / 1024,
    };
  } finally {
    clearInterval(sampler);
  }
}

function runLoad(server: BenchServer, route: BenchRoute, users: readonly BenchUser[], connections: number, seconds: number) {
  let turn = 0;
  const headers: Record<string, string> = route.body === undefined ? {} : { "content-type": "application/json" };
  return autocannon({
    url: server.origin,
    connections,
    duration: seconds,
    requests: [
      {
        method: route.method,
        path: route.path,
        headers,
        ...(route.body === undefined ? {} : { body: route.body }),
        // Each request is made as the next user in turn, so that caches see as many users as the server has.
        setupRequest: (request) => {
          if (!route.authenticated) return request;
          const user = users[turn++ % users.length] as BenchUser;
          return { ...request, headers: { ...headers, authorization: `Bearer ${user.token}` } };
        },
      },
    ],
  });
}
