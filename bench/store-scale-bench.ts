import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stepPersistences } from "../src/composition/step-registry.js";
import { parseDatabaseUrl } from "../src/config/database-location.js";
import type { SecretCipher } from "../src/crypto/secret-cipher.js";
import { openDatabase, type Database } from "../src/db/database.js";
import { migrateToLatest } from "../src/db/migrator.js";
import { completeStep } from "../src/onboarding/step-transitions.js";
import { DatabaseStore } from "../src/storage/database-store.js";
import { sampleStepData, sealedKeys, testCipher } from "../src/test-support/sample-steps.js";
import { createPostgresBenchDatabase, DEFAULT_POSTGRES_URL, type BenchDatabase } from "./bench-postgres-database.js";
import { growStore } from "./population-growth.js";
import { settleDatabase } from "./settle-database.js";

/** The issue's goal: with 100,000 users in the database, the figures stay within 10 % of 10,000. */
const TOLERANCE = 0.1;
const ACTIVE_USERS = 1_000;
const READS_PER_USER = 5;

interface Costs {
  readUs: number;
  saveUs: number;
}

/**
 * `npm run bench -- store-scale [--populations 10000,100000] [--rounds R] [--no-postgres]`: what
 * a user's read (a summary's one statement) and a step save cost the store, one after another
 * with no HTTP around them, as the database grows. Each population has its own database: 1,000
 * users onboarded (steps 1-5), grown with copies of one of them, settled (settle-database.ts).
 * Then R rounds, each measuring every database in turn (alternating order) on the same 1,000
 * users: this machine's speed drifts by more than the goal's 10 % over minutes, so the sizes are
 * measured side by side. The largest is judged against the smallest by the median of the rounds'
 * ratios.
 */
export async function storeScaleBench(args: readonly string[]): Promise<void> {
  const rawPopulations = valueOf(args, "--populations") ?? "10000,100000";
  const populations = rawPopulations.split(",").map(Number);
  const rawRounds = valueOf(args, "--rounds") ?? "7";
  const rounds = Number(rawRounds);
  if (!populations.every((size, i) => Number.isInteger(size) && size >= ACTIVE_USERS && (i === 0 || size > populations[i - 1]!))) {
    throw new Error(`--populations needs increasing whole numbers of at least ${ACTIVE_USERS}, not ${JSON.stringify(rawPopulations)}`);
  }
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`--rounds needs a positive whole number, not ${JSON.stringify(rawRounds)}`);
  const folder = mkdtempSync(join(tmpdir(), "store-scale-"));
  try {
    await measureDialect("SQLite", populations.map((size) => `sqlite:${join(folder, `${size}.db`)}`), populations, rounds);
    if (!args.includes("--no-postgres")) {
      const databases: BenchDatabase[] = [];
      try {
        for (const _size of populations) databases.push(await createPostgresBenchDatabase(valueOf(args, "--postgres") ?? DEFAULT_POSTGRES_URL));
        await measureDialect("PostgreSQL", databases.map((database) => database.url), populations, rounds);
      } finally {
        for (const database of databases) await database.drop();
      }
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

interface Subject {
  readonly population: number;
  readonly database: Database;
  readonly store: DatabaseStore;
  readonly rounds: Costs[];
}

async function measureDialect(label: string, urls: readonly string[], populations: readonly number[], rounds: number): Promise<void> {
  const active = Array.from({ length: ACTIVE_USERS }, (_, i) => `user_active_${String(i).padStart(5, "0")}`);
  const subjects: Subject[] = [];
  try {
    for (const [index, population] of populations.entries()) {
      const database = openDatabase(parseDatabaseUrl(urls[index]!));
      subjects.push({ population, database, store: new DatabaseStore(database, stepPersistences(CIPHER)), rounds: [] });
      await prepare(subjects.at(-1)!, active);
    }
    for (let round = 0; round < rounds; round++) {
      for (const subject of round % 2 === 0 ? subjects : [...subjects].reverse()) subject.rounds.push(await measure(subject.store, active, `${round}`));
    }
    for (const subject of subjects) {
      const costs = median(subject.rounds);
      line(`${label}, ${subject.population.toLocaleString("en-US")} users: a read ${costs.readUs.toFixed(1)} µs, a step-3 save ${costs.saveUs.toFixed(1)} µs (median of ${rounds} rounds)`);
    }
    if (subjects.length > 1) judge(label, subjects[0]!, subjects.at(-1)!);
  } finally {
    for (const subject of subjects) await subject.database.close();
  }
}

const CIPHER = testCipher();

/** Not timed: migrated, the active users onboarded, grown to the population, settled. */
async function prepare(subject: Subject, active: readonly string[]): Promise<void> {
  const started = performance.now();
  await migrateToLatest(subject.database);
  for (const userId of active) await onboard(subject.store, CIPHER, userId);
  await growStore(subject.store, active[0]!, active.length, subject.population);
  await settleDatabase(subject.database);
  line(`  ${subject.population.toLocaleString("en-US")} users prepared in ${((performance.now() - started) / 1000).toFixed(1)} s (not timed)`);
}

async function onboard(store: DatabaseStore, cipher: SecretCipher, userId: string): Promise<void> {
  await store.update(userId, (record, now) => completeStep(record, 1, sealedKeys(cipher, userId, { openai: `sk-bench-${userId}-0123456789` }), () => [], now));
  for (const step of [2, 3, 4, 5] as const) await store.update(userId, (record, now) => completeStep(record, step, sampleStepData(step, userId), () => [], now));
}

async function measure(store: DatabaseStore, active: readonly string[], variant: string): Promise<Costs> {
  let started = performance.now();
  for (let i = 0; i < READS_PER_USER; i++) for (const userId of active) await store.read(userId);
  const readUs = ((performance.now() - started) * 1000) / (READS_PER_USER * active.length);
  started = performance.now();
  for (const userId of active) await store.update(userId, (record, now) => completeStep(record, 3, sampleStepData(3, `${userId}-${variant}`), () => [], now));
  const saveUs = ((performance.now() - started) * 1000) / active.length;
  return { readUs, saveUs };
}

/** The median of the rounds' ratios: each ratio compares two measurements made minutes apart at most. */
function judge(label: string, first: Subject, last: Subject): void {
  for (const [what, pick] of [
    ["read", (costs: Costs) => costs.readUs],
    ["step-3 save", (costs: Costs) => costs.saveUs],
  ] as const) {
    const ratios = last.rounds.map((costs, round) => pick(costs) / pick(first.rounds[round]!));
    const ratio = ratios.sort((a, b) => a - b)[Math.floor(ratios.length / 2)]!;
    const sizes = `${last.population.toLocaleString("en-US")} users vs ${first.population.toLocaleString("en-US")}`;
    line(`${label} ${what}, ${sizes}: ${ratio.toFixed(3)} (median of the rounds' ratios; goal ≤ ${1 + TOLERANCE}) ${ratio <= 1 + TOLERANCE ? "met" : "MISSED"}`);
  }
}

/** Each cost's median over the rounds (rounds hit by the machine's other work fall aside). */
function median(costs: readonly Costs[]): Costs {
  const middle = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return { readUs: middle(costs.map((c) => c.readUs)), saveUs: middle(costs.map((c) => c.saveUs)) };
}

function valueOf(args: readonly string[], name: string): string | undefined {
  const index = args.indexOf(name);
  return index === -1 ? undefined : args[index + 1];
}

function line(text: string): void {
  process.stdout.write(`${text}\n`);
}
