import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { sql } from "kysely";
import type { Database, SqlDialect } from "../../src/db/database.js";
import { SERVER_INSIDES } from "../../src/test-support/leak-pattern.js";
import { sampleStepData } from "../../src/test-support/sample-steps.js";
import { databaseUrlOf, openTestDatabase } from "../../src/test-support/test-database.js";
import { atLeast, atMost, info, type Figure } from "../support/figures.js";
import { devToken, HttpClient, jsonOf, sleep, type Answer } from "../support/http-client.js";
import type { Part, PartContext } from "../support/part.js";
import { reliabilitySeed } from "../support/seed.js";
import { startInProcess, tempDir } from "../support/servers.js";
import { badRequests, type BadRequest } from "./bad-input-requests.js";

const NAME = "bad input";
const REQUESTS_PER_DATABASE = 10_000;
const VICTIMS = 20;
const CONCURRENCY = 16;
const USER_TABLES = ["step_states", "api_keys", "website_analyses", "research_preferences", "persona_data", "platform_integrations"] as const;

/**
 * Generated bad requests (fast-check) across every route, as 20 users whose data is already
 * there (steps 1-3, a step 4 draft, a finished persona task): every answer is a 4xx in the error
 * shape with nothing of the server's insides, no connection is reset, and those users' rows (and,
 * in dual mode, their progress files) are byte for byte what they were.
 */
export const badInput: Part = {
  name: NAME,
  boundSeconds: 180,
  async run(context: PartContext): Promise<Figure[]> {
    const seed = reliabilitySeed(context);
    const figures: Figure[] = [];
    for (const dialect of ["sqlite", "postgres"] as const) figures.push(...(await badInputOn(context, dialect, seed)));
    figures.push(info(NAME, "fast-check seed", String(seed)));
    return figures;
  },
};

async function badInputOn(context: PartContext, dialect: SqlDialect, seed: number): Promise<Figure[]> {
  const label = `${NAME} (${dialect === "sqlite" ? "SQLite, dual" : "PostgreSQL, database"})`;
  const dir = tempDir(context, `bad-${dialect}`);
  const db = dialect === "postgres" ? await openTestDatabase("postgres") : undefined;
  if (db !== undefined) context.defer(() => db.cleanup());
  const mode = dialect === "sqlite" ? "dual" : "database";
  const server = await startInProcess(context, {
    DATABASE_URL: db === undefined ? `sqlite:${join(dir, "app.db")}` : databaseUrlOf(db),
    STORAGE_MODE: mode,
    PROGRESS_DIR: join(dir, "progress"),
    DATA_DIR: dir,
  });
  const client = new HttpClient(server.url, CONCURRENCY);
  context.defer(() => client.close());
  const tokens = await Promise.all(Array.from({ length: VICTIMS }, (_, i) => prepareVictim(client, `user_victim_${i}`)));
  const userIds = tokens.map((_, i) => `user_victim_${i}`);
  // Dual mode answers before a save's file copy is written (SPEC §1): the copies of the victims'
  // own preparation (their persona task's save among them) are waited for, so that only what the
  // bad requests did can differ.
  await server.services.store.settled();
  const before = await storedBytes(server.services.database, userIds, mode === "dual" ? join(dir, "progress") : undefined);

  const requests = fc.sample(badRequests, { numRuns: REQUESTS_PER_DATABASE, seed: seed + (dialect === "sqlite" ? 0 : 1) });
  const tally = new Tally();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < requests.length && !context.signal.aborted) {
        const i = next++;
        const request = requests[i]!;
        tally.add(request, await send(client, request, tokens[i % VICTIMS]!));
      }
    }),
  );
  await server.services.store.settled();
  const after = await storedBytes(server.services.database, userIds, mode === "dual" ? join(dir, "progress") : undefined);
  const changed = userIds.filter((id) => before.get(id) !== after.get(id));
  context.log(`${label}: ${tally.byKind()}`);
  for (const example of tally.examples) context.log(`  e.g. ${example}`);
  return [
    atLeast(label, "bad requests sent", tally.total, REQUESTS_PER_DATABASE),
    info(label, "kinds of bad request", tally.kinds.size),
    atMost(label, "answers ≥ 500", tally.serverErrors, 0),
    atMost(label, "answers 2xx/3xx (accepted)", tally.accepted, 0),
    atMost(label, "connection resets or no answer", tally.noAnswer, 0),
    atMost(label, "4xx answers not in the error shape", tally.misshapen, 0),
    atMost(label, "bodies with a stack, SQL or a file path", tally.leaks, 0),
    atMost(label, `users whose stored bytes changed (of ${VICTIMS})`, changed.length, 0),
    atMost(label, "server log lines at error level", server.warnings.filter((line) => line.includes('"level":50')).length, 0),
  ];
}

async function prepareVictim(client: HttpClient, userId: string): Promise<string> {
  const token = await devToken(client, userId);
  const calls: [string, string, unknown][] = [
    ["POST", "/step/1/complete", { data: { api_keys: { openai: `sk-victim-${userId}-0001`, exa: `exa-victim-${userId}-0002` } } }],
    ["POST", "/step/2/complete", { data: sampleStepData(2, userId.replaceAll("_", "-")) }],
    ["POST", "/step/3/complete", { data: sampleStepData(3, userId) }],
    ["PUT", "/step/4", { data: sampleStepData(4, userId) }],
    ["POST", "/step4/generate-personas-async", {}],
  ];
  let answer: Answer | undefined;
  for (const [method, path, body] of calls) {
    answer = await client.send({ method, path: `/api/onboarding${path}`, token, body });
    if (answer.status >= 300) throw new Error(`preparing ${userId}: ${method} ${path} answered ${answer.status} ${answer.text.slice(0, 200)}`);
  }
  // The task ends on its own (the model is a closed port): wait for it, so that nothing is written later.
  const taskId = (jsonOf(answer!) as { task_id: string }).task_id;
  for (let poll = 0; poll < 200; poll++) {
    const task = jsonOf(await client.send({ method: "GET", path: `/api/onboarding/step4/persona-task/${taskId}`, token })) as { status?: string } | undefined;
    if (task?.status === "completed" || task?.status === "failed") return token;
    await sleep(50);
  }
  throw new Error(`preparing ${userId}: the persona task did not finish`);
}

async function send(client: HttpClient, request: BadRequest, token: string): Promise<Answer> {
  return client.send({
    method: request.method,
    path: request.path,
    token,
    ...(request.body === undefined ? {} : { body: request.body }),
    headers: request.contentType === undefined ? {} : { "content-type": request.contentType },
  });
}

class Tally {
  total = 0;
  serverErrors = 0;
  accepted = 0;
  noAnswer = 0;
  misshapen = 0;
  leaks = 0;
  readonly kinds = new Map<string, number>();
  readonly examples: string[] = [];

  add(request: BadRequest, answer: Answer): void {
    this.total += 1;
    this.kinds.set(request.kind, (this.kinds.get(request.kind) ?? 0) + 1);
    const what = `${request.kind}: ${request.method} ${request.path.slice(0, 80)} ${(request.body ?? "").slice(0, 120)} → ${answer.status} ${answer.failure ?? answer.text.slice(0, 160)}`;
    if (answer.status === 0) this.#count("noAnswer", what);
    else if (answer.status >= 500) this.#count("serverErrors", what);
    else if (answer.status < 400) this.#count("accepted", what);
    else if (!isErrorShape(answer)) this.#count("misshapen", what);
    if (SERVER_INSIDES.test(answer.text)) this.#count("leaks", what);
  }

  byKind(): string {
    return [...this.kinds.entries()].map(([kind, n]) => `${kind} ${n}`).join(", ");
  }

  #count(field: "serverErrors" | "accepted" | "noAnswer" | "misshapen" | "leaks", example: string): void {
    this[field] += 1;
    if (this.examples.length < 10) this.examples.push(example);
  }
}

function isErrorShape(answer: Answer): boolean {
  const body = jsonOf(answer) as { detail?: unknown; code?: unknown; errors?: unknown } | undefined;
  return typeof body?.detail === "string" && typeof body.code === "string" && Array.isArray(body.errors);
}

/** Everything stored for each user, as text: their rows in every table (raw, as the driver returns them) and their progress file. */
async function storedBytes(database: Database, userIds: readonly string[], progressDir: string | undefined): Promise<Map<string, string>> {
  const files = progressDir === undefined ? [] : readdirSync(progressDir);
  const stored = new Map<string, string>();
  for (const userId of userIds) {
    const parts: unknown[] = [];
    const session = await sql<{ id: number }>`select * from onboarding_sessions where user_id = ${userId}`.execute(database.kysely);
    parts.push(session.rows);
    for (const table of USER_TABLES) {
      const rows = await sql`select * from ${sql.table(table)} where session_id = ${session.rows[0]?.id ?? -1}`.execute(database.kysely);
      parts.push(rows.rows);
    }
    for (const table of ["persona_tasks", "expensive_work_limits", "expensive_work_runs"]) {
      parts.push((await sql`select * from ${sql.table(table)} where user_id = ${userId}`.execute(database.kysely)).rows);
    }
    for (const name of files.filter((file) => file === `.onboarding_progress_${userId}.json`)) parts.push(readFileSync(join(progressDir!, name), "utf8"));
    stored.set(userId, JSON.stringify(parts));
  }
  return stored;
}
