import { randomBytes } from "node:crypto";
import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { apiKeyContext, SecretCipher } from "../../../crypto/secret-cipher.js";
import { createLegacySchema } from "../../../test-support/legacy/legacy-fixture.js";
import { openTestDatabase, type TestDatabase } from "../../../test-support/test-database.js";
import { OUR_TABLES } from "../legacy/legacy-table-plan.js";
import { stepStatesInsertSql } from "../shared/step-state-sql.js";
import { upgradeLegacy } from "../upgrade-legacy.js";
import type { UpgradeReport } from "../upgrade-report.js";
import { SqliteLegacyUpgrader } from "./sqlite-legacy-upgrader.js";
import { PROBE_EVERY } from "./sqlite-sealing-worker.js";

/** More keys than a dozen of the worker's probes (PROBE_EVERY keys apart). */
const SESSIONS = 25_000;
const key = randomBytes(32);
const cipher = SecretCipher.fromBase64(key.toString("base64"));

describe("the SQLite rebuild on more keys than a dozen probes apart", () => {
  let test: TestDatabase;
  const path = () => join(test.tempDir, "test.db");

  beforeEach(async () => {
    test = await openTestDatabase("sqlite", { migrate: false });
  });

  afterEach(async () => {
    await test.cleanup();
  });

  it("merges, drops orphans, keeps the newest analysis and every key, the same with the sealing worker or without", async () => {
    await createBulkLegacyDatabase(test, "mistral");
    const copy = join(test.tempDir, "copy.db");
    await sql`vacuum into ${copy}`.execute(test.database.kysely);
    const withWorker = await upgrade(path(), true);
    const onThisThread = await upgrade(copy, false);

    expect(SESSIONS).toBeGreaterThan(12 * PROBE_EVERY);
    expect(withWorker.result).toEqual(onThisThread.result);
    expect(withWorker.result).toMatchObject({
      merges: [{ userId: "user_24999", sessions: [24_999, 25_001], survivor: 24_999 }],
      orphans: { api_keys: 1, website_analyses: 0, research_preferences: 1, persona_data: 0 },
      superseded: { api_keys: 0, website_analyses: 1, research_preferences: 0, persona_data: 0 },
      after: { onboarding_sessions: SESSIONS, api_keys: SESSIONS + 3, website_analyses: SESSIONS },
      keysEncrypted: SESSIONS + 3,
    });
    expect(withWorker.result.filled).toMatchObject({ "research_preferences.auto_research": 0, "research_preferences.factual_content": 1 });
    expect(withWorker.result.invalidJsonQuoted).toMatchObject({ "research_preferences.content_types": 1 });
    expect(differingRows(path(), copy)).toEqual(Object.fromEntries(OUR_TABLES.map((table) => [table, 0])));
    const keys = openedKeys(copy);
    expect(openedKeys(path()).join("\n")).toBe(keys.join("\n"));
    expect(keys.slice(0, 2)).toEqual(["2 anthropic sk-negative-id", "1 openai sk-1"]);
    expect(keys.slice(-3)).toEqual(["25000 openai sk-25000", "24999 gemini sk-older", "24999 mistral sk-newer"]);
  });

  it("starts over newest-first when two keys of a merged user collide, far past the first probe", async () => {
    await createBulkLegacyDatabase(test, "gemini");
    const report = await upgrade(path(), true);
    expect(report.result).toMatchObject({
      orphans: { api_keys: 1 },
      superseded: { api_keys: 1, website_analyses: 1 },
      after: { api_keys: SESSIONS + 2 },
      keysEncrypted: SESSIONS + 2,
    });
    const keys = openedKeys(path());
    expect(keys.slice(0, 2)).toEqual(["2 anthropic sk-negative-id", "1 openai sk-1"]);
    expect(keys.slice(-2)).toEqual(["25000 openai sk-25000", "24999 gemini sk-newer"]);
  });
});

describe("the SQLite step states written before the keys", () => {
  let test: TestDatabase;

  beforeEach(async () => {
    test = await openTestDatabase("sqlite", { migrate: false });
  });

  afterEach(async () => {
    await test.cleanup();
  });

  // Without a merge the prescan's set of the sessions that keys name decides step 1; with one, a second pass after the last key does.
  it.each([false, true])("are the rule's rows applied after the upgrade (a merged session: %s)", async (withMerge) => {
    const path = join(test.tempDir, "test.db");
    await createBulkLegacyDatabase(test, "mistral", withMerge);
    const report = await upgrade(path, true);
    expect(report.result.merges).toHaveLength(withMerge ? 1 : 0);

    const recomputed = join(test.tempDir, "recomputed.db");
    const db = new SqliteDatabase(path);
    db.prepare("vacuum into ?").run(recomputed);
    db.close();
    const again = new SqliteDatabase(recomputed);
    again.exec("delete from step_states");
    again.exec(stepStatesInsertSql((table) => table, "all"));
    again.close();
    expect(differingRows(path, recomputed).step_states).toBe(0);
    // Sessions at step 1 (every sixth) with a key: step 1 in progress, decided by the key alone.
    const inProgress = new SqliteDatabase(path, { readonly: true });
    const stepOne = inProgress.prepare("select count(*) from step_states where step_number = 1 and status = 'in_progress'").pluck().get();
    inProgress.close();
    expect(stepOne).toBe(Math.floor(SESSIONS / 6));
  });
});

async function upgrade(path: string, worker: boolean): Promise<Extract<UpgradeReport, { status: "upgraded" }>> {
  const upgrader = new SqliteLegacyUpgrader(path);
  try {
    const report = await upgradeLegacy(upgrader, { cipher, sealingKey: worker ? { key, version: cipher.currentVersion } : undefined, startedAt: new Date(0) });
    if (report.status !== "upgraded") throw new Error(`expected an upgrade, got ${report.status}`);
    return report;
  } finally {
    await upgrader.close();
  }
}

/**
 * SESSIONS sessions with one row in each child table, then, past the first dozen probes:
 * a second session of the last text user id (merged, newer), an older gemini key on the first of
 * its sessions and a newer `provider` key on the second (a duplicate when gemini too), a second,
 * newer website analysis for the last session, an orphan key, an orphan research preference
 * (whose NULL and non-JSON text are not counted as filled or quoted, unlike those of a kept row),
 * and a key whose id is below 1.
 */
async function createBulkLegacyDatabase(test: TestDatabase, provider: string, withMerge = true): Promise<void> {
  await createLegacySchema(test.database);
  const at = "'2024-01-01 00:00:00'";
  const db = new SqliteDatabase(join(test.tempDir, "test.db"));
  // The old platform ran SQLite with foreign keys off, which let the orphan in.
  db.pragma("foreign_keys = off");
  db.exec(`
    with recursive n(x) as (select 1 union all select x + 1 from n where x < ${SESSIONS})
    insert into onboarding_sessions (id, user_id, current_step, progress, started_at, updated_at)
    select x, case when x % 2 = 0 then x else 'user_' || x end, 1 + x % 6, 0, ${at}, ${at} from n;
    insert into api_keys (id, session_id, provider, "key", created_at, updated_at)
      select id, id, 'openai', 'sk-' || id, ${at}, ${at} from onboarding_sessions;
    insert into website_analyses (id, session_id, website_url, writing_style, created_at, updated_at)
      select id, id, 'https://site-' || id || '.example.com', '{"tone":"warm"}', ${at}, ${at} from onboarding_sessions;
    insert into research_preferences (id, session_id, research_depth, content_types, created_at, updated_at)
      select id, id, 'Standard', '["blog"]', ${at}, ${at} from onboarding_sessions;
    insert into persona_data (id, session_id, core_persona, created_at, updated_at)
      select id, id, '{"name":"p"}', ${at}, ${at} from onboarding_sessions;
    ${withMerge ? `insert into onboarding_sessions (id, user_id, current_step, progress, started_at, updated_at)
      values (25001, 'user_24999', 2, 10, '2024-02-01 00:00:00', '2024-02-01 00:00:00');` : ""}
    insert into api_keys (id, session_id, provider, "key", created_at, updated_at) values
      (25001, 24999, 'gemini', 'sk-older', ${at}, ${at}),
      (25002, ${withMerge ? 25001 : 25000}, '${provider}', 'sk-newer', '2024-02-01 00:00:00', '2024-02-01 00:00:00'),
      (25003, 99999, 'openai', 'sk-orphan', ${at}, ${at}),
      (-5, 2, 'anthropic', 'sk-negative-id', ${at}, ${at});
    insert into website_analyses (id, session_id, website_url, created_at, updated_at)
      values (25001, 25000, 'https://newer.example.com', '2024-02-01 00:00:00', '2024-02-01 00:00:00');
    insert into research_preferences (id, session_id, research_depth, content_types, auto_research, created_at, updated_at)
      values (25001, 88888, 'Basic', 'not json', null, ${at}, ${at});
    update research_preferences set factual_content = null, content_types = 'not json either' where id = 1;
  `);
  db.close();
}

/** Per table, the rows that differ between two databases (both ways), ciphertexts (random nonces) aside. */
function differingRows(path: string, other: string): Record<string, number> {
  const db = new SqliteDatabase(path);
  try {
    db.prepare("attach database ? as other").run(other);
    return Object.fromEntries(
      OUR_TABLES.map((table) => {
        const columns = (db.prepare(`select name from pragma_table_info('${table}')`).pluck().all() as string[])
          .filter((column) => column !== "key_ciphertext")
          .join(", ");
        const [one, two] = [`select ${columns} from main.${table}`, `select ${columns} from other.${table}`];
        const differing = db.prepare(`select (select count(*) from (${one} except ${two})) + (select count(*) from (${two} except ${one}))`);
        return [table, Number(differing.pluck().get())];
      }),
    );
  } finally {
    db.close();
  }
}

function openedKeys(path: string): string[] {
  const db = new SqliteDatabase(path, { readonly: true });
  try {
    const rows = db
      .prepare(`select k.session_id, k.provider, k.key_ciphertext, k.key_version, s.user_id from api_keys k join onboarding_sessions s on s.id = k.session_id order by k.id`)
      .all() as { session_id: number; provider: string; key_ciphertext: string; key_version: number; user_id: string }[];
    return rows.map((row) => {
      const plaintext = cipher.open({ ciphertext: row.key_ciphertext, keyVersion: row.key_version }, apiKeyContext(row.user_id, row.provider));
      return `${row.session_id} ${row.provider} ${plaintext}`;
    });
  } finally {
    db.close();
  }
}
