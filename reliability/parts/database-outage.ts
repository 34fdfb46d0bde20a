import { startThrowawayPostgres } from "../../src/test-support/throwaway-postgres.js";
import { atLeast, atMost, exactly, info, type Figure } from "../support/figures.js";
import { HttpClient, jsonOf, sleep, type Answer } from "../support/http-client.js";
import type { Part, PartContext } from "../support/part.js";
import { sharedIdentity, startServer, tempDir } from "../support/servers.js";

const NAME = "database outage";
const CLIENTS = 16;
const OUTAGE_MS = 4_000;

interface Timed extends Answer {
  readonly sentAt: number;
  readonly doneAt: number;
}

/**
 * A PostgreSQL cluster of the suite's own (never the shared server) stopped for a few seconds
 * under 16 looping clients: every answer meanwhile is 503 in the error shape, never a 500 or a
 * reset; the process lives; /readyz says not ready; the first success comes soon after the
 * database is back, without a restart.
 */
export const databaseOutage: Part = {
  name: NAME,
  boundSeconds: 120,
  async run(context: PartContext): Promise<Figure[]> {
    const cluster = await startThrowawayPostgres();
    context.defer(() => cluster.destroy());
    const identity = await sharedIdentity();
    const server = await startServer(context, { ...identity.env, DATABASE_URL: cluster.url, STORAGE_MODE: "database", DATA_DIR: tempDir(context, "outage") });
    const client = new HttpClient(server.url, CLIENTS + 2);
    context.defer(() => client.close());
    const tokens = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => identity.token(`user_outage_${i}`)));

    const answers: Timed[] = [];
    let looping = true;
    const loops = tokens.map(async (token, i) => {
      for (let round = 0; looping && !context.signal.aborted; round++) {
        const sentAt = performance.now();
        const answer =
          round % 2 === 0
            ? await client.send({ method: "PUT", path: "/api/onboarding/step/1", token, body: { data: { api_keys: { openai: `sk-outage-${i}-${String(round).padStart(8, "0")}` } } } })
            : await client.send({ method: "GET", path: "/api/onboarding/progress", token });
        answers.push({ ...answer, sentAt, doneAt: performance.now() });
        await sleep(5);
      }
    });

    await sleep(2_000);
    await cluster.stop("fast");
    const downAt = performance.now();
    context.log("database stopped");
    const readiness: number[] = [];
    while (performance.now() - downAt < OUTAGE_MS) {
      readiness.push((await client.send({ method: "GET", path: "/readyz" })).status);
      await sleep(250);
    }
    const restartAt = performance.now();
    await cluster.start();
    const backAt = performance.now();
    context.log(`database back after ${Math.round(backAt - downAt)} ms`);
    await sleep(3_000);
    looping = false;
    await Promise.all(loops);
    const readyAfter = (await client.send({ method: "GET", path: "/readyz" })).status;

    const during = answers.filter((a) => a.sentAt >= downAt && a.doneAt <= restartAt);
    const wrongDuring = during.filter((a) => !isOutageAnswer(a));
    const firstSuccess = answers.filter((a) => a.status === 200 && a.doneAt >= backAt).reduce((min, a) => Math.min(min, a.doneAt), Number.POSITIVE_INFINITY);
    return [
      info(NAME, "answers in all", answers.length),
      atLeast(NAME, "answers while the database was down", during.length, 50),
      atMost(NAME, "of those, not 503 database_unavailable with Retry-After", wrongDuring.length, 0),
      atMost(NAME, "answers ≥ 500 other than 503", answers.filter((a) => a.status >= 500 && a.status !== 503).length, 0),
      atMost(NAME, "connection failures (no answer)", answers.filter((a) => a.status === 0).length, 0),
      exactly(NAME, "server process alive", server.alive() ? "yes" : "no", "yes"),
      exactly(NAME, `/readyz while down (asked ${readiness.length}×)`, readiness.every((status) => status === 503) ? "503 each time" : readiness.join(","), "503 each time"),
      exactly(NAME, "/readyz after the return", String(readyAfter), "200"),
      atMost(NAME, "first success after the database's return", Math.round(firstSuccess - backAt), 2_000, " ms"),
    ];
  },
};

function isOutageAnswer(answer: Answer): boolean {
  const body = jsonOf(answer) as { detail?: unknown; code?: unknown; errors?: unknown } | undefined;
  return answer.status === 503 && body?.code === "database_unavailable" && typeof body.detail === "string" && Array.isArray(body.errors) && answer.headers["retry-after"] !== undefined;
}
