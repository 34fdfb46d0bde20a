import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { SqlDialect } from "../../src/db/database.js";
import { databaseUrlOf, openTestDatabase } from "../../src/test-support/test-database.js";
import { runCli } from "../support/cli.js";
import { atLeast, atMost, info, type Figure } from "../support/figures.js";
import { HttpClient, jsonOf, sleep } from "../support/http-client.js";
import type { Part, PartContext } from "../support/part.js";
import { sharedIdentity, startServer, tempDir, type RunningServer } from "../support/servers.js";

const NAME = "crash";
const ROUNDS = 5;
const USERS = 50;
const KEY_PROVIDERS = ["openai", "gemini", "anthropic", "mistral", "exa", "tavily", "serper", "firecrawl", "stability", "copilotkit"] as const;
/** Saves answered before the random moment of the kill starts counting: the server is surely under load by then. */
const WARM_ACKS = 300;
const DEPTHS = ["Basic", "Standard", "Comprehensive", "Expert"] as const;

/** One writer: a user's key of one provider, or the user's step 3; one save at a time each. */
interface Slot {
  readonly user: number;
  /** A provider, or "step3". */
  readonly what: string;
  /** The last save answered 200 before the kill (0: none yet). */
  acked: number;
  /** The save on its way when the server died, if any. */
  inFlight: number | undefined;
  next: number;
}

/**
 * The server (dual mode, a real process) under 550 concurrent saves from 50 users, killed with
 * SIGKILL at a random moment, 5 rounds on SQLite and on PostgreSQL. After each restart: every
 * acknowledged write is in the database, no step is half-written, every progress file parses and
 * belongs to its user, no temp file is left, and `reconcile --fix` repairs all drift (the files
 * may lag the database: it is the commit point).
 */
export const crash: Part = {
  name: NAME,
  boundSeconds: 300,
  async run(context: PartContext): Promise<Figure[]> {
    const figures: Figure[] = [];
    for (const dialect of ["sqlite", "postgres"] as const) figures.push(...(await crashRounds(context, dialect)));
    return figures;
  },
};

async function crashRounds(context: PartContext, dialect: SqlDialect): Promise<Figure[]> {
  const label = `${NAME} (${dialect === "sqlite" ? "SQLite" : "PostgreSQL"})`;
  const identity = await sharedIdentity();
  const dir = tempDir(context, `crash-${dialect}`);
  const db = dialect === "postgres" ? await openTestDatabase("postgres") : undefined;
  if (db !== undefined) context.defer(() => db.cleanup());
  const progressDir = join(dir, "progress");
  const env = { ...identity.env, DATABASE_URL: db === undefined ? `sqlite:${join(dir, "app.db")}` : databaseUrlOf(db), STORAGE_MODE: "dual", PROGRESS_DIR: progressDir, DATA_DIR: dir };
  const slots: Slot[] = Array.from({ length: USERS }, (_, user) => [...KEY_PROVIDERS, "step3"].map((what) => ({ user, what, acked: 0, inFlight: undefined, next: 1 }))).flat();
  const tokens = await Promise.all(Array.from({ length: USERS }, (_, user) => identity.token(`user_crash_${user}`)));

  const totals = { acked: 0, minInFlight: Number.POSITIVE_INFINITY, lost: 0, halfWritten: 0, badFiles: 0, tempFiles: 0, drift: 0, remaining: 0, fixErrors: 0, serverErrors: 0 };
  let server = await startServer(context, env);
  for (let round = 1; round <= ROUNDS && !context.signal.aborted; round++) {
    const killAfterMs = Math.floor(Math.random() * 1500);
    const load = await saveUntilKilled(server, slots, tokens, killAfterMs);
    totals.acked += load.acked;
    totals.serverErrors += load.serverErrors;
    totals.minInFlight = Math.min(totals.minInFlight, load.inFlightAtKill);
    context.log(`${label} round ${round}: killed ${killAfterMs} ms after the ${WARM_ACKS}th answer, with ${load.inFlightAtKill} saves in flight (${load.acked} acknowledged)`);

    server = await startServer(context, env);
    const checked = await checkAfterRestart(server, slots, tokens);
    totals.lost += checked.lost;
    totals.halfWritten += checked.halfWritten;
    const files = checkProgressFiles(progressDir);
    totals.badFiles += files.bad;
    totals.tempFiles += files.temp;
    const reconciled = await reconcile(env);
    totals.drift += reconciled.drift;
    totals.remaining += reconciled.remaining;
    totals.fixErrors += reconciled.fixErrors;
    for (const slot of slots) {
      slot.acked = checked.stored.get(slot) ?? slot.acked;
      slot.inFlight = undefined;
    }
  }
  await server.kill("SIGTERM");
  return [
    info(label, "saves acknowledged before the kills", totals.acked),
    atLeast(label, "fewest saves in flight at a kill", totals.minInFlight, 500),
    atMost(label, "acknowledged writes missing after restart", totals.lost, 0),
    atMost(label, "steps half-written", totals.halfWritten, 0),
    atMost(label, "progress files truncated, unparseable or of another user", totals.badFiles, 0),
    atMost(label, "temp files left after restart", totals.tempFiles, 0),
    info(label, "drift found by reconcile after the kills", totals.drift),
    atMost(label, "drift left after reconcile --fix, or fix errors", totals.remaining + totals.fixErrors, 0),
    atMost(label, "answers ≥ 500 under load", totals.serverErrors, 0),
  ];
}

/** Every slot saves in a loop until the server is killed, at a random moment once WARM_ACKS saves were answered. */
async function saveUntilKilled(server: RunningServer, slots: Slot[], tokens: readonly string[], killAfterMs: number) {
  const client = new HttpClient(server.url, slots.length);
  let killed = false;
  let acked = 0;
  let serverErrors = 0;
  const loops = slots.map(async (slot) => {
    while (!killed) {
      const seq = slot.next++;
      slot.inFlight = seq;
      const answer = await client.send({ ...saveOf(slot, seq), token: tokens[slot.user]! });
      if (killed && answer.status === 0) return;
      slot.inFlight = undefined;
      if (answer.status === 200) {
        slot.acked = seq;
        acked += 1;
      } else if (answer.status >= 500) serverErrors += 1;
    }
  });
  while (acked < WARM_ACKS) await sleep(5);
  await sleep(killAfterMs);
  const inFlightAtKill = slots.filter((slot) => slot.inFlight !== undefined).length;
  killed = true;
  await server.kill("SIGKILL");
  await Promise.all(loops);
  await client.close();
  return { acked, serverErrors, inFlightAtKill };
}

function saveOf(slot: Slot, seq: number) {
  const path = "/api/onboarding";
  if (slot.what === "step3") return { method: "PUT", path: `${path}/step/3`, body: { data: stepThree(seq) } };
  return { method: "POST", path: `${path}/api-keys`, body: { provider: slot.what, api_key: `sk-crash-u${slot.user}-${String(seq).padStart(6, "0")}` } };
}

/** Step 3's fields all follow from one number: a half-written save would mix two. */
function stepThree(seq: number) {
  return { research_depth: DEPTHS[seq % 4]!, content_types: [`c${seq}`, `d${seq}`], auto_research: seq % 2 === 0, factual_content: seq % 3 === 0 };
}

/** What the restarted server holds: each slot's number must be its acknowledged one, or the one in flight at the kill. */
async function checkAfterRestart(server: RunningServer, slots: readonly Slot[], tokens: readonly string[]) {
  const client = new HttpClient(server.url, 16);
  const stored = new Map<Slot, number>();
  let lost = 0;
  let halfWritten = 0;
  await Promise.all(
    tokens.map(async (token, user) => {
      const keys = (jsonOf(await client.send({ method: "GET", path: "/api/onboarding/api-keys", token })) as { api_keys: Record<string, string> }).api_keys;
      const step3 = (jsonOf(await client.send({ method: "GET", path: "/api/onboarding/step/3", token })) as { data: ReturnType<typeof stepThree> | null }).data;
      for (const slot of slots.filter((s) => s.user === user)) {
        let seq: number | undefined;
        if (slot.what === "step3") {
          const fromDepth = step3 === null ? undefined : Number(step3.content_types[0]?.slice(1));
          seq = fromDepth;
          if (step3 !== null && (fromDepth === undefined || JSON.stringify(step3) !== JSON.stringify(stepThree(fromDepth)))) halfWritten += 1;
        } else {
          const masked = keys[slot.what];
          seq = masked === undefined ? undefined : Number(masked.slice(-4));
        }
        const acceptable = [slot.acked % 10_000, slot.inFlight === undefined ? -1 : slot.inFlight % 10_000];
        if (slot.acked === 0 && seq === undefined) continue;
        if (seq === undefined || !acceptable.includes(seq % 10_000)) lost += 1;
        if (seq !== undefined) stored.set(slot, seq === slot.acked % 10_000 ? slot.acked : (slot.inFlight ?? slot.acked));
      }
    }),
  );
  await client.close();
  return { stored, lost, halfWritten };
}

function checkProgressFiles(dir: string): { bad: number; temp: number } {
  let bad = 0;
  let temp = 0;
  for (const name of readdirSync(dir)) {
    if (name.endsWith(".tmp")) {
      temp += 1;
      continue;
    }
    try {
      const parsed = JSON.parse(readFileSync(join(dir, name), "utf8")) as { user_id?: unknown };
      if (typeof parsed.user_id !== "string" || !name.includes(parsed.user_id)) bad += 1;
    } catch {
      bad += 1;
    }
  }
  return { bad, temp };
}

/** `reconcile` (drift the kills left), then `reconcile --fix` and a last `reconcile` that must find everything in sync. */
async function reconcile(env: Record<string, string>): Promise<{ drift: number; remaining: number; fixErrors: number }> {
  const before = await runCli(["reconcile", "--json"], env);
  const drift = (JSON.parse(before.stdout) as { drift: unknown[] }).drift.length;
  const fixed = JSON.parse((await runCli(["reconcile", "--fix", "--json"], env)).stdout) as { remaining: unknown[]; fix_errors: unknown[] };
  const after = await runCli(["reconcile", "--json"], env);
  const remaining = after.exitCode === 0 ? 0 : Math.max(1, (JSON.parse(after.stdout) as { drift: unknown[] }).drift.length);
  return { drift, remaining: fixed.remaining.length + remaining, fixErrors: fixed.fix_errors.length };
}
