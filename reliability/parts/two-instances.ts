import { isDeepStrictEqual } from "node:util";
import { sampleStepData } from "../../src/test-support/sample-steps.js";
import { databaseUrlOf, openTestDatabase } from "../../src/test-support/test-database.js";
import { atLeast, atMost, info, type Figure } from "../support/figures.js";
import { HttpClient, jsonOf, sleep, type Answer } from "../support/http-client.js";
import type { Part, PartContext } from "../support/part.js";
import { sharedIdentity, startServer, tempDir } from "../support/servers.js";

const NAME = "two instances";
const USERS = 20;
const API = "/api/onboarding";

/**
 * Two server processes on one PostgreSQL, as behind a load balancer: each user's steps alternate
 * between them, the persona task is started on one and polled on the other, and Step 6
 * (GET /summary) must be the same and right on either, before and after completion.
 */
export const twoInstances: Part = {
  name: NAME,
  boundSeconds: 120,
  async run(context: PartContext): Promise<Figure[]> {
    const db = await openTestDatabase("postgres");
    context.defer(() => db.cleanup());
    const identity = await sharedIdentity();
    const env = { ...identity.env, DATABASE_URL: databaseUrlOf(db), STORAGE_MODE: "database", DATA_DIR: tempDir(context, "two") };
    const [a, b] = await Promise.all([startServer(context, env), startServer(context, env)]);
    const clients = [new HttpClient(a.url, 16), new HttpClient(b.url, 16)] as const;
    for (const client of clients) context.defer(() => client.close());

    const answers: Answer[] = [];
    const problems: string[] = [];
    const results = await Promise.all(
      Array.from({ length: USERS }, async (_, i) => {
        const userId = `user_two_${i}`;
        const token = await identity.token(userId);
        const on = async (which: 0 | 1, method: string, path: string, body?: unknown): Promise<Answer> => {
          const answer = await clients[which].send({ method, path: `${API}${path}`, token, body });
          answers.push(answer);
          return answer;
        };
        return walkAcrossBoth(on, i, problems);
      }),
    );
    const summariesDiffer = results.filter((r) => r !== undefined && !r.same).length;
    return [
      atLeast(NAME, "users onboarded across both instances", results.filter((r) => r !== undefined).length, USERS),
      atLeast(NAME, "persona tasks started on one, completed as polled on the other", results.filter((r) => r?.taskCompleted).length, USERS),
      atMost(NAME, "Step 6 summaries that differ between the instances", summariesDiffer, 0),
      atMost(NAME, "Step 6 summaries not what the user saved", problems.length, 0),
      atMost(NAME, "answers ≥ 500 or no answer", answers.filter((x) => x.status >= 500 || x.status === 0).length, 0),
      info(NAME, "first problem", problems[0] ?? "none"),
    ];
  },
};

type On = (which: 0 | 1, method: string, path: string, body?: unknown) => Promise<Answer>;

async function walkAcrossBoth(on: On, i: number, problems: string[]): Promise<{ same: boolean; taskCompleted: boolean } | undefined> {
  const tag = `two${i}`;
  const key = `sk-two-instances-${String(i).padStart(4, "0")}`;
  const expect = (answer: Answer, status: number, what: string): boolean => {
    if (answer.status === status) return true;
    problems.push(`user ${i}: ${what} answered ${answer.status} ${answer.text.slice(0, 120)}`);
    return false;
  };
  if (!expect(await on(0, "POST", "/step/1/complete", { data: { api_keys: { openai: key } } }), 200, "step 1 on A")) return undefined;
  if (!expect(await on(1, "POST", "/step/2/complete", { data: sampleStepData(2, tag) }), 200, "step 2 on B")) return undefined;
  if (!expect(await on(0, "POST", "/step/3/complete", { data: sampleStepData(3, tag) }), 200, "step 3 on A")) return undefined;
  const started = await on(1, "POST", "/step4/generate-personas-async", { selectedPlatforms: ["linkedin", "blog"] });
  if (!expect(started, 202, "persona task start on B")) return undefined;
  const taskId = (jsonOf(started) as { task_id: string }).task_id;
  let task: { status: string; result: Record<string, unknown> | null } = { status: "pending", result: null };
  for (let poll = 0; poll < 200 && (task.status === "pending" || task.status === "running"); poll++) {
    await sleep(50);
    const answer = await on(0, "GET", `/step4/persona-task/${taskId}`);
    if (!expect(answer, 200, "persona task poll on A")) return undefined;
    task = jsonOf(answer) as typeof task;
  }
  const taskCompleted = task.status === "completed" && task.result !== null;
  if (!taskCompleted) problems.push(`user ${i}: persona task ended ${task.status}`);
  if (!expect(await on(1, "POST", "/step/4/complete"), 200, "step 4 on B")) return undefined;
  if (!expect(await on(0, "POST", "/step/5/skip"), 200, "step 5 skipped on A")) return undefined;

  const persona = task.result === null ? null : pick(task.result, ["corePersona", "platformPersonas", "qualityMetrics", "selectedPlatforms"]);
  const expected = {
    api_keys: { count: 1, providers: [{ provider: "openai", masked: `${"*".repeat(key.length - 4)}${key.slice(-4)}` }] },
    website_url: `https://${tag}.example.com`,
    research_preferences: sampleStepData(3, tag),
    persona,
    integrations: null,
  };
  let same = await compareSummaries(on, expected, { current_step: 6, completion_percentage: 83.3, is_completed: false }, i, problems);
  if (!expect(await on(1, "POST", "/complete"), 200, "completion on B")) return undefined;
  same = (await compareSummaries(on, expected, { current_step: 6, completion_percentage: 100, is_completed: true }, i, problems)) && same;
  return { same, taskCompleted };
}

/** Both instances' summaries: equal to each other, and holding what the user saved. */
async function compareSummaries(on: On, expected: Record<string, unknown>, status: Record<string, unknown>, i: number, problems: string[]): Promise<boolean> {
  const [fromA, fromB] = await Promise.all([on(0, "GET", "/summary"), on(1, "GET", "/summary")]);
  const [a, b] = [jsonOf(fromA) as Record<string, unknown>, jsonOf(fromB) as Record<string, unknown>];
  const onboarding = a?.onboarding as Record<string, unknown> | undefined;
  const saved = a === undefined ? {} : pick(a, Object.keys(expected));
  const researchOnly = saved.research_preferences === null || saved.research_preferences === undefined ? null : pick(saved.research_preferences as Record<string, unknown>, Object.keys(expected.research_preferences as object));
  if (!isDeepStrictEqual({ ...saved, research_preferences: researchOnly }, expected)) problems.push(`user ${i}: summary holds ${JSON.stringify(saved).slice(0, 200)}`);
  if (onboarding === undefined || !isDeepStrictEqual(pick(onboarding, Object.keys(status)), status)) problems.push(`user ${i}: summary status ${JSON.stringify(onboarding)}`);
  return fromA.status === 200 && isDeepStrictEqual(a, b);
}

function pick(object: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((key) => [key, object[key]]));
}
