import { sampleStepData } from "../src/test-support/sample-steps.js";

/** A signed-in bench user: the token every measured request of theirs carries. */
export interface BenchUser {
  readonly userId: string;
  readonly token: string;
}

const PARALLEL_USERS = 16;

/**
 * Onboards `count` users through the API, as clients would: a dev token each, then steps 1-5
 * completed with data (so that a summary carries every section), step 6 left to the user.
 */
export async function prepareUsers(origin: string, count: number): Promise<BenchUser[]> {
  const users: BenchUser[] = new Array(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const index = next++;
      users[index] = await onboardUser(origin, `user_bench_${String(index).padStart(7, "0")}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_USERS, count) }, worker));
  return users;
}

/** Tokens are minted again for every server start: each dev-mode server has its own key pair. */
export async function signIn(origin: string, userIds: readonly string[]): Promise<BenchUser[]> {
  const users: BenchUser[] = [];
  for (const userId of userIds) users.push({ userId, token: await devToken(origin, userId) });
  return users;
}

async function onboardUser(origin: string, userId: string): Promise<BenchUser> {
  const token = await devToken(origin, userId);
  const api = `${origin}/api/onboarding`;
  await send(token, "POST", `${api}/step/1/complete`, { data: { api_keys: { openai: `sk-bench-${userId}-0123456789` } } });
  for (const step of [2, 3, 4, 5] as const) {
    await send(token, "POST", `${api}/step/${step}/complete`, { data: sampleStepData(step, userId.replaceAll("_", "-")) });
  }
  return { userId, token };
}

async function devToken(origin: string, userId: string): Promise<string> {
  const body = (await send(undefined, "POST", `${origin}/api/dev/token`, { user_id: userId })) as { token: string };
  return body.token;
}

async function send(token: string | undefined, method: string, url: string, body: unknown): Promise<unknown> {
  const response = await fetch(url, {
    method,
    headers: { "content-type": "application/json", ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url} answered ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as unknown;
}
