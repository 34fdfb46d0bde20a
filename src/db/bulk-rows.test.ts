import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openTestDatabase, TEST_DIALECTS, type TestDatabase } from "../test-support/test-database.js";
import { deleteSessionRows, statementSizes, upsertRows } from "./bulk-rows.js";

describe("statementSizes", () => {
  it("splits a count into the largest power of two that fits, then the binary digits of the rest", () => {
    expect(statementSizes(500, 5000)).toEqual([256, 128, 64, 32, 16, 4]);
    expect(statementSizes(10_001, 4285)).toEqual([4096, 4096, 1024, 512, 256, 16, 1]);
    expect(statementSizes(3, 1)).toEqual([1, 1, 1]);
    expect(statementSizes(0, 100)).toEqual([]);
  });

  it("always adds up to the count and never exceeds the maximum", () => {
    for (const [count, max] of [[1, 1], [999, 7], [4096, 4096], [12_345, 3750]] as const) {
      const sizes = statementSizes(count, max);
      expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(count);
      expect(Math.max(...sizes)).toBeLessThanOrEqual(max);
    }
  });
});

describe.each(TEST_DIALECTS)("bulk rows on %s", (dialect) => {
  let test: TestDatabase;

  beforeEach(async () => {
    test = await openTestDatabase(dialect);
  });
  afterEach(() => test.cleanup());

  const createSessions = async (count: number) => {
    const now = "2025-01-01T00:00:00.000Z";
    const rows = Array.from({ length: count }, (_, i) => ({ user_id: `user_${i}`, current_step: 1, progress: 0, started_at: now, updated_at: now }));
    const inserted = await test.database.kysely.insertInto("onboarding_sessions").values(rows).returning("id").execute();
    return inserted.map((row) => row.id);
  };
  const preferences = (sessionId: number, depth: string, at: string) => ({
    session_id: sessionId,
    research_depth: depth,
    content_types: JSON.stringify(["blog"]),
    auto_research: 1,
    factual_content: 0,
    created_at: at,
    updated_at: at,
  });
  const upsertPreferences = (rows: ReturnType<typeof preferences>[]) =>
    upsertRows(test.database.kysely, "research_preferences", rows, {
      conflict: ["session_id"],
      update: ["research_depth", "content_types", "auto_research", "factual_content", "updated_at"],
    });

  it("inserts new rows and updates existing ones, keeping the columns it was not told to update", async () => {
    const ids = await createSessions(7);
    await upsertPreferences(ids.slice(0, 4).map((id) => preferences(id, "Basic", "2025-01-01T00:00:00.000Z")));
    await upsertPreferences(ids.map((id) => preferences(id, "Expert", "2025-02-01T00:00:00.000Z")));
    const rows = await test.database.kysely.selectFrom("research_preferences").selectAll().where("session_id", "in", ids).execute();
    expect(rows).toHaveLength(7);
    expect(new Set(rows.map((row) => row.research_depth))).toEqual(new Set(["Expert"]));
    const created = rows.map((row) => new Date(row.created_at).toISOString().slice(0, 7));
    expect(created.filter((month) => month === "2025-01")).toHaveLength(4);
  });

  it("refuses the whole call when one row breaks a constraint, as one statement would", async () => {
    const ids = await createSessions(3);
    const rows = ids.map((id) => preferences(id, "Basic", "2025-01-01T00:00:00.000Z"));
    const broken = { ...rows[1]!, research_depth: undefined as unknown as string };
    await expect(upsertPreferences([rows[0]!, broken, rows[2]!])).rejects.toThrow(/null|research_depth/i);
  });

  it("deletes only the given sessions' rows, narrowed to values not kept", async () => {
    const ids = await createSessions(3);
    const now = "2025-01-01T00:00:00.000Z";
    const key = (sessionId: number, provider: string) => ({
      session_id: sessionId,
      provider,
      key_ciphertext: "c2VhbGVk",
      key_last4: "abcd",
      key_version: 1,
      created_at: now,
      updated_at: now,
    });
    await upsertRows(test.database.kysely, "api_keys", ids.flatMap((id) => [key(id, "openai"), key(id, "exa")]), {
      conflict: ["session_id", "provider"],
      update: ["key_ciphertext"],
    });
    await deleteSessionRows(test.database.kysely, "api_keys", ids.slice(0, 2), { column: "provider", notIn: ["openai"] });
    const left = await test.database.kysely.selectFrom("api_keys").selectAll().where("session_id", "in", ids).execute();
    expect(left.map((row) => [ids.indexOf(row.session_id), row.provider]).sort()).toEqual([
      [0, "openai"],
      [1, "openai"],
      [2, "exa"],
      [2, "openai"],
    ]);
  });
});
