import { sampleStepData } from "../../src/test-support/sample-steps.js";
import { atMost, info, type Figure } from "../support/figures.js";
import { HttpClient, percentile, sleep, type Call } from "../support/http-client.js";
import type { Part, PartContext } from "../support/part.js";
import { sharedIdentity, startServer, tempDir } from "../support/servers.js";

const NAME = "soak";
const SOAK_MS = 180_000;
const CLIENTS = 12;
const USERS = 200;
const SAMPLE_EVERY_MS = 2_000;
/** RSS is compared as medians of the samples in these windows (fractions of the run): one GC cycle does not decide. */
const MIDDLE = [0.45, 0.55] as const;
const END = [0.9, 1] as const;

/**
 * Three minutes of mixed load (reads, saves of steps 1 and 3, key saves and deletes, the summary)
 * by 200 users from 12 clients on a server in dual mode: no answer ≥ 500, no connection lost, and
 * the resident memory at the end within 10 % of the middle's.
 */
export const soak: Part = {
  name: NAME,
  boundSeconds: 240,
  async run(context: PartContext): Promise<Figure[]> {
    const identity = await sharedIdentity();
    const dir = tempDir(context, "soak");
    const server = await startServer(context, { ...identity.env, DATABASE_URL: `sqlite:${dir}/app.db`, STORAGE_MODE: "dual", PROGRESS_DIR: `${dir}/progress`, DATA_DIR: dir });
    const client = new HttpClient(server.url, CLIENTS);
    context.defer(() => client.close());
    const tokens = await Promise.all(Array.from({ length: USERS }, (_, i) => identity.token(`user_soak_${i}`)));

    const started = performance.now();
    const samples: { at: number; rss: number }[] = [];
    const sampler = setInterval(() => samples.push({ at: (performance.now() - started) / SOAK_MS, rss: server.rssBytes() }), SAMPLE_EVERY_MS);
    context.defer(() => clearInterval(sampler));
    const latencies: number[] = [];
    let serverErrors = 0;
    let failures = 0;
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        for (let n = 0; performance.now() - started < SOAK_MS && !context.signal.aborted; n++) {
          const user = (c * 7919 + n * 31) % USERS;
          const answer = await client.send(mixedCall(tokens[user]!, user, n));
          latencies.push(answer.ms);
          if (answer.status >= 500) serverErrors += 1;
          if (answer.status === 0) failures += 1;
          await sleep(2);
        }
      }),
    );
    clearInterval(sampler);
    const middle = medianRss(samples, MIDDLE);
    const end = medianRss(samples, END);
    const change = ((end - middle) / middle) * 100;
    return [
      info(NAME, "requests in 3 minutes", latencies.length),
      info(NAME, "p99 latency", percentile(latencies, 99), " ms"),
      atMost(NAME, "answers ≥ 500", serverErrors, 0),
      atMost(NAME, "connection failures", failures, 0),
      info(NAME, "RSS at the start / middle / end", `${mb(samples[0]?.rss ?? 0)} / ${mb(middle)} / ${mb(end)} MB`),
      atMost(NAME, "RSS at the end vs the middle", Math.round(Math.abs(change) * 10) / 10, 10, " %"),
    ];
  },
};

/** The mix: mostly reads, a save in four. */
function mixedCall(token: string, user: number, n: number): Call {
  const api = "/api/onboarding";
  switch (n % 10) {
    case 0:
      return { method: "PUT", path: `${api}/step/1`, token, body: { data: { api_keys: { openai: `sk-soak-${user}-${String(n).padStart(8, "0")}` } } } };
    case 1:
      return { method: "POST", path: `${api}/api-keys`, token, body: { provider: "gemini", api_key: `gm-soak-${user}-${String(n).padStart(8, "0")}` } };
    case 2:
      return { method: "DELETE", path: `${api}/api-keys/gemini`, token };
    case 3:
      return { method: "PUT", path: `${api}/step/3`, token, body: { data: sampleStepData(3, `soak${n % 50}`) } };
    case 4:
      return { method: "GET", path: `${api}/summary`, token };
    case 5:
      return { method: "GET", path: `${api}/progress`, token };
    case 6:
      return { method: "GET", path: `${api}/init`, token };
    case 7:
      return { method: "GET", path: `${api}/api-keys`, token };
    case 8:
      return { method: "GET", path: `${api}/step/${(n % 6) + 1}`, token };
    default:
      return { method: "GET", path: `${api}/status`, token };
  }
}

function medianRss(samples: readonly { at: number; rss: number }[], [from, to]: readonly [number, number]): number {
  const inWindow = samples.filter((s) => s.at >= from && s.at <= to).map((s) => s.rss);
  return percentile(inWindow, 50);
}

function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(0);
}
