import { isDeepStrictEqual } from "node:util";
import { join } from "node:path";
import fc from "fast-check";
import type { SqlDialect } from "../../src/db/database.js";
import { FIXTURE_PAGE } from "../../src/test-support/fixture-page.js";
import { databaseUrlOf, openTestDatabase } from "../../src/test-support/test-database.js";
import { htmlPage, startPageServer, type PageHandler } from "../../src/test-support/test-page-server.js";
import { atLeast, atMost, info, type Figure } from "../support/figures.js";
import { devToken, HttpClient, jsonOf, type Answer } from "../support/http-client.js";
import type { Part, PartContext } from "../support/part.js";
import { reliabilitySeed } from "../support/seed.js";
import { startInProcess, tempDir } from "../support/servers.js";
import { KEY_PROVIDERS, LLM_PROVIDERS, UserModel, type Expected, type Json } from "./isolation-model.js";

const NAME = "isolation";
const USERS_PER_RUN = 50;
const RUNS_PER_DATABASE = 10;
const API = "/api/onboarding";

type Action =
  | { readonly kind: "advance"; readonly v: number }
  | { readonly kind: "save"; readonly step: number; readonly v: number }
  | { readonly kind: "complete"; readonly step: number; readonly withData: boolean; readonly v: number }
  | { readonly kind: "skip"; readonly step: number }
  | { readonly kind: "addKey"; readonly provider: string; readonly v: number }
  | { readonly kind: "deleteKey"; readonly provider: string }
  | { readonly kind: "analyze" }
  | { readonly kind: "persona" }
  | { readonly kind: "finish" }
  | { readonly kind: "reset"; readonly hard: boolean }
  | { readonly kind: "start" };

const variant = fc.integer({ min: 0, max: 999 });
const action: fc.Arbitrary<Action> = fc.oneof(
  { weight: 8, arbitrary: variant.map((v) => ({ kind: "advance" as const, v })) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("save" as const), step: fc.integer({ min: 1, max: 5 }), v: variant }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("complete" as const), step: fc.integer({ min: 1, max: 5 }), withData: fc.boolean(), v: variant }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("skip" as const), step: fc.integer({ min: 1, max: 6 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("addKey" as const), provider: fc.constantFrom(...KEY_PROVIDERS), v: variant }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("deleteKey" as const), provider: fc.constantFrom(...KEY_PROVIDERS) }) },
  { weight: 1, arbitrary: fc.constant({ kind: "analyze" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "persona" as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: "finish" as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("reset" as const), hard: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constant({ kind: "start" as const }) },
);
/** Expensive actions stay under the per-user limit (10 a minute), so that no 429 blurs the rules. */
const plan = fc.array(action, { minLength: 3, maxLength: 12 }).filter((actions) => actions.filter((a) => a.kind === "analyze" || a.kind === "persona" || a.kind === "advance").length <= 8);

/**
 * fast-check drives 1,000 users (500 on SQLite in dual mode, 500 on PostgreSQL), 50 at a time,
 * through random sequences of every kind of write (saves, completions, skips, key saves and
 * deletes, resets, website analyses of local pages, persona generations). After each request a
 * model of what the user saved (isolation-model.ts, SPEC §4's rules written a second time) is
 * compared with every read route; every answer is searched for any other user's values.
 */
export const isolation: Part = {
  name: NAME,
  boundSeconds: 300,
  async run(context: PartContext): Promise<Figure[]> {
    const seed = reliabilitySeed(context);
    const figures: Figure[] = [];
    for (const dialect of ["sqlite", "postgres"] as const) figures.push(...(await isolationOn(context, dialect, seed)));
    figures.push(info(NAME, "fast-check seed", String(seed)));
    return figures;
  },
};

class Findings {
  users = 0;
  writes = 0;
  reads = 0;
  foreign: string[] = [];
  disagreements: string[] = [];
  serverErrors = 0;
}

async function isolationOn(context: PartContext, dialect: SqlDialect, seed: number): Promise<Figure[]> {
  const label = `${NAME} (${dialect === "sqlite" ? "SQLite, dual" : "PostgreSQL, database"})`;
  const dir = tempDir(context, `isolation-${dialect}`);
  const db = dialect === "postgres" ? await openTestDatabase("postgres") : undefined;
  if (db !== undefined) context.defer(() => db.cleanup());
  const pages = await startPageServer(new Proxy({} as Record<string, PageHandler>, { get: (_routes, path) => (typeof path === "string" && path.startsWith("/site/") ? sitePage(path.slice(6)) : undefined) }));
  context.defer(() => pages.close());
  const server = await startInProcess(context, {
    DATABASE_URL: db === undefined ? `sqlite:${join(dir, "app.db")}` : databaseUrlOf(db),
    STORAGE_MODE: dialect === "sqlite" ? "dual" : "database",
    PROGRESS_DIR: join(dir, "progress"),
    DATA_DIR: dir,
    WEBSITE_FETCH_ALLOW_PRIVATE: "true",
  });
  const client = new HttpClient(server.url, USERS_PER_RUN);
  context.defer(() => client.close());

  const findings = new Findings();
  let run = 0;
  const result = await fc.check(
    fc.asyncProperty(fc.array(plan, { minLength: USERS_PER_RUN, maxLength: USERS_PER_RUN }), async (plans) => {
      run += 1;
      const before = findings.foreign.length + findings.disagreements.length;
      await Promise.all(plans.map((actions, i) => driveUser(client, pages.origin, tagOf(dialect, run, i), String(i).padStart(4, "0"), actions, findings)));
      return findings.foreign.length + findings.disagreements.length === before;
    }),
    { numRuns: RUNS_PER_DATABASE, seed: seed + (dialect === "sqlite" ? 0 : 1), endOnFailure: true },
  );
  if (result.failed) context.log(`${label}: fast-check found a failing run (seed ${result.seed}, path ${result.counterexamplePath ?? "?"})`);
  for (const example of [...findings.foreign, ...findings.disagreements].slice(0, 8)) context.log(`  ${example}`);
  return [
    atLeast(label, "users driven", findings.users, USERS_PER_RUN * RUNS_PER_DATABASE),
    info(label, "writes / reads compared", `${findings.writes.toLocaleString("en-US")} / ${findings.reads.toLocaleString("en-US")}`),
    atMost(label, "answers holding another user's value", findings.foreign.length, 0),
    atMost(label, "model and server disagree (status, rule or data)", findings.disagreements.length, 0),
    atMost(label, "answers ≥ 500", findings.serverErrors, 0),
    // The table is what a CI log keeps: the first problem is in it, not only in the lines above.
    ...[...findings.foreign, ...findings.disagreements].slice(0, 1).map((example) => info(label, "first problem", example.slice(0, 400))),
  ];
}

/** Some text either side of where `found` is in `text`. */
function around(text: string, found: string): string {
  const at = text.indexOf(found);
  return text.slice(Math.max(0, at - 60), at + found.length + 60);
}

/**
 * Each user's values carry its tag; finding another tag in its answers is a leak. A tag is
 * searched whatever its case (the persona engine capitalises a brand taken from a domain name,
 * "The Izp6r0412u12z 5 Writer"), and its random part is digits only: with letters, a tag such as
 * `izp6rxizqu12z` capitalised held a second, shorter match (`izqu12z`) that read as another user's.
 */
const TAG = /iz[sp]\d+r\d+u\d+z/gi;

function tagOf(dialect: SqlDialect, run: number, index: number): string {
  return `iz${dialect === "sqlite" ? "s" : "p"}${run}r${String(Math.floor(Math.random() * 10_000)).padStart(4, "0")}u${index}z`;
}

function sitePage(tag: string): PageHandler {
  return htmlPage(FIXTURE_PAGE.replace("<title>Acme Docs</title>", `<title>${tag} docs</title>`).replace("We make simple tools.", `We make simple tools for ${tag}.`));
}

/** Valid data for step n, made of the user's tag and a variant number. Step 2 without an analysis saves but cannot complete. */
function stepData(step: number, tag: string, v: number, userNumber: string): Json {
  switch (step) {
    case 1:
      return { api_keys: { [LLM_PROVIDERS[v % 4]!]: `sk-${tag}-${v}-${userNumber}` } };
    case 2:
      return v % 7 === 0
        ? { website: `https://${tag}-${v}.example.com` }
        : { website: `https://${tag}-${v}.example.com`, analysis: { writing_style: { tone: `tone-${tag}` }, target_audience: { primary: `readers-${v}` }, status: "completed" } };
    case 3:
      return { research_depth: ["Basic", "Standard", "Comprehensive", "Expert"][v % 4]!, content_types: [`${tag}-c${v}`], auto_research: v % 2 === 0, factual_content: v % 3 === 0 };
    case 4:
      return { corePersona: { persona_name: `${tag} ${v}` }, platformPersonas: { blog: { length: "long" } }, qualityMetrics: { overall: v % 101 }, selectedPlatforms: ["blog"] };
    default:
      return { primary_website: `https://${tag}.example.org`, website_platforms: ["wordpress"], analytics_platforms: [], social_platforms: [`x-${tag}`] };
  }
}

/** `userNumber`: the last four characters of the user's keys, so that a key's mask tells whose it is. */
async function driveUser(client: HttpClient, pagesOrigin: string, tag: string, userNumber: string, actions: readonly Action[], findings: Findings): Promise<void> {
  const userId = `user_${tag}`;
  const token = await devToken(client, userId);
  const model = new UserModel();
  findings.users += 1;
  const call = async (method: string, path: string, body?: unknown): Promise<Answer> => {
    const answer = await client.send({ method, path: `${API}${path}`, token, body });
    if (answer.status >= 500 || answer.status === 0) findings.serverErrors += 1;
    const others = (answer.text.match(TAG) ?? []).filter((found) => found.toLowerCase() !== tag);
    if (others.length > 0) findings.foreign.push(`${userId} ${method} ${path} answered ${others[0]}'s value: …${around(answer.text, others[0]!)}…`);
    return answer;
  };
  for (const [index, act] of actions.entries()) {
    const { method, path, body, expect, touched } = resolve(act, model, tag, userNumber, pagesOrigin);
    const answer = await call(method, path, body);
    findings.writes += 1;
    const step = `${userId} action ${index + 1} (${JSON.stringify(act)}): ${method} ${path}`;
    const predicted = expect(answer);
    if (!agrees(predicted, answer)) {
      findings.disagreements.push(`${step} answered ${answer.status} ${answer.text.slice(0, 160)}; the model expected ${JSON.stringify(predicted)}`);
      return;
    }
    const mismatch = await compareReads(call, model, userId, touched, findings);
    if (mismatch !== undefined) {
      findings.disagreements.push(`${step}, then ${mismatch}`);
      return;
    }
  }
}

function agrees(expected: Expected, answer: Answer): boolean {
  if (expected.ok) return answer.status === 200 || answer.status === 204;
  return answer.status === expected.status && (jsonOf(answer) as { code?: string } | undefined)?.code === expected.code;
}

interface Resolved {
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
  /** Applies the action to the model (given the answer, for what the server made) and says what it should have answered. */
  readonly expect: (answer: Answer) => Expected;
  readonly touched: number;
}

function resolve(act: Action, model: UserModel, tag: string, userNumber: string, pagesOrigin: string): Resolved {
  switch (act.kind) {
    case "advance": {
      const step = model.currentStep();
      if (step === 6) return { method: "POST", path: "/complete", expect: () => model.finish(), touched: 6 };
      if (step === 5 && act.v % 2 === 0) return { method: "POST", path: "/step/5/skip", expect: () => model.skip(5), touched: 5 };
      const data = stepData(step, tag, act.v % 7 === 0 ? act.v + 1 : act.v, userNumber);
      return { method: "POST", path: `/step/${step}/complete`, body: { data }, expect: () => model.complete(step, data), touched: step };
    }
    case "save": {
      const data = stepData(act.step, tag, act.v, userNumber);
      return { method: "PUT", path: `/step/${act.step}`, body: { data }, expect: () => model.save(act.step, data), touched: act.step };
    }
    case "complete": {
      const data = act.withData ? stepData(act.step, tag, act.v, userNumber) : undefined;
      return { method: "POST", path: `/step/${act.step}/complete`, ...(data ? { body: { data } } : {}), expect: () => model.complete(act.step, data), touched: act.step };
    }
    case "skip":
      return { method: "POST", path: `/step/${act.step}/skip`, expect: () => (act.step === 6 ? model.skip(6) : model.skip(act.step)), touched: act.step };
    case "addKey": {
      const key = `key-${tag}-${act.v}-${userNumber}`;
      return { method: "POST", path: "/api-keys", body: { provider: act.provider, api_key: key }, expect: () => model.addKey(act.provider, key), touched: 1 };
    }
    case "deleteKey":
      return { method: "DELETE", path: `/api-keys/${act.provider}`, expect: () => model.deleteKey(act.provider), touched: 1 };
    case "analyze": {
      const website = `${pagesOrigin}/site/${tag}`;
      return {
        method: "POST",
        path: "/website/analyze",
        body: { website },
        expect: (answer) => {
          const { website_url: _url, ...analysis } = (jsonOf(answer) as Json | undefined) ?? {};
          return model.generated(2, answer.status === 200 ? { website, analysis } : undefined);
        },
        touched: 2,
      };
    }
    case "persona":
      return {
        method: "POST",
        path: "/step4/generate-personas",
        expect: (answer) => {
          const made = jsonOf(answer) as Json | undefined;
          return model.generated(4, answer.status === 200 && made ? pick(made, ["corePersona", "platformPersonas", "qualityMetrics", "selectedPlatforms"]) : undefined);
        },
        touched: 4,
      };
    case "finish":
      return { method: "POST", path: "/complete", expect: () => model.finish(), touched: 6 };
    case "reset":
      return { method: "POST", path: `/reset?hard=${act.hard}`, expect: () => model.reset(act.hard), touched: 1 };
    case "start":
      return { method: "POST", path: "/start", expect: () => model.start(), touched: 1 };
  }
}

type Caller = (method: string, path: string) => Promise<Answer>;

/** Every read route against the model; the first difference, or undefined. */
async function compareReads(call: Caller, model: UserModel, userId: string, touched: number, findings: Findings): Promise<string | undefined> {
  const validated = 1 + ((touched * 7 + Math.round(model.percentage())) % 6);
  const paths = ["/progress", "/status", "/api-keys", "/summary", "/init", "/resume", "/website-analysis", "/research-preferences", "/step4/persona-latest", `/step/${touched}`, `/step/${validated}/validate`];
  const answers = await Promise.all(paths.map((path) => call("GET", path)));
  findings.reads += answers.length;
  const [progress, status, keys, summary, init, resume, website, research, latest, step, validation] = answers.map((a) => ({ status: a.status, body: jsonOf(a) as Json }));
  const current = model.currentStep();
  const statusFields = { is_completed: model.isCompleted, current_step: current, completion_percentage: model.percentage() };
  const checks: [string, unknown, unknown][] = [
    ["GET /progress steps", (progress!.body.steps as Json[]).map((s) => [s.status, s.data]), [1, 2, 3, 4, 5, 6].map((n) => [model.status[n - 1], n === 6 ? null : model.dataOf(n)])],
    ["GET /progress status", pick(progress!.body, Object.keys(statusFields)), statusFields],
    ["GET /status", pick(status!.body, Object.keys(statusFields)), statusFields],
    ["GET /api-keys", [keys!.body.api_keys, keys!.body.configured_providers], [model.masks(), Object.keys(model.keys).sort()]],
    ["GET /summary user", summary!.body.user_id, userId],
    ["GET /summary status", pick(summary!.body.onboarding as Json, Object.keys(statusFields)), statusFields],
    ["GET /summary keys", sortedProviders(summary!.body.api_keys as Json), Object.entries(model.masks()).map(([provider, masked]) => ({ provider, masked })).sort(byProvider)],
    ["GET /summary steps 2-5", [summary!.body.website_url, summary!.body.research_preferences, summary!.body.persona, summary!.body.integrations], [model.dataOf(2)?.website ?? null, model.dataOf(3), model.dataOf(4), model.dataOf(5)]],
    ["GET /summary capabilities", pick(summary!.body.capabilities_overview as Json, ["ai_content_generation", "research_capabilities", "persona_generation"]), { ai_content_generation: LLM_PROVIDERS.some((p) => model.keys[p] !== undefined), research_capabilities: model.dataOf(3) !== null, persona_generation: model.dataOf(4) !== null }],
    ["GET /init", [(init!.body.user as Json).id, ((init!.body.onboarding as Json).steps as Json[]).map((s) => s.status)], [userId, model.status]],
    ["GET /resume", resume!.body.current_step, current],
    ["GET /website-analysis", website!.body.website_url ?? null, model.dataOf(2)?.website ?? null],
    ["GET /research-preferences", research!.body, model.dataOf(3)],
    ["GET /step4/persona-latest", latest!.status === 404 ? null : pick((latest!.body.persona as Json) ?? {}, ["corePersona", "platformPersonas", "qualityMetrics", "selectedPlatforms"]), model.dataOf(4)],
    [`GET /step/${touched}`, [step!.body.status, step!.body.data], [model.status[touched - 1], touched === 6 ? null : model.dataOf(touched)]],
    [`GET /step/${validated}/validate`, validation!.body.step_status, model.isLocked(validated) ? "locked" : "available"],
  ];
  for (const [i, answer] of answers.entries()) {
    if (answer.status !== 200 && !(paths[i] === "/step4/persona-latest" && answer.status === 404)) return `GET ${paths[i]} answered ${answer.status}`;
  }
  for (const [what, actual, expected] of checks) {
    if (!isDeepStrictEqual(normalise(actual), normalise(expected))) return `${what} answered ${JSON.stringify(actual).slice(0, 300)}; the model holds ${JSON.stringify(expected).slice(0, 300)}`;
  }
  return undefined;
}

function pick(object: Json, keys: readonly string[]): Json {
  return Object.fromEntries(keys.map((key) => [key, object?.[key]]));
}

function sortedProviders(keys: Json | undefined): unknown {
  return [...((keys?.providers as { provider: string }[]) ?? [])].sort(byProvider);
}

function byProvider(a: { provider: string }, b: { provider: string }): number {
  return a.provider.localeCompare(b.provider);
}

/** Objects compared whatever the order of their keys; undefined and null alike. */
function normalise(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (Array.isArray(value)) return value.map(normalise);
  if (typeof value === "object") return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, normalise(v)]));
  return value;
}
