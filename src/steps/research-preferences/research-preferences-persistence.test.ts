import { describe, expect, it } from "vitest";
import { sampleStepData } from "../../test-support/sample-steps.js";
import { TEST_DIALECTS } from "../../test-support/test-database.js";
import { itKeepsTheStepTableContract } from "../../test-support/step-table-contract.js";
import { useStepTable } from "../../test-support/step-table-harness.js";
import { researchPreferencesPersistence } from "./research-preferences-persistence.js";

describe.each(TEST_DIALECTS)("step 3 persistence (research_preferences) on %s", (dialect) => {
  const harness = useStepTable(dialect, researchPreferencesPersistence);
  itKeepsTheStepTableContract(harness, { table: "research_preferences", sample: (tag) => sampleStepData(3, tag) });
  const { save, readData, jsonColumn } = harness;

  const rowsOf = (userId: string) =>
    harness.test.database.kysely
      .selectFrom("research_preferences")
      .innerJoin("onboarding_sessions", "onboarding_sessions.id", "research_preferences.session_id")
      .selectAll("research_preferences")
      .where("onboarding_sessions.user_id", "=", userId)
      .execute();

  /** A boolean column as the driver gives it: 0/1 on SQLite, boolean on PostgreSQL. */
  const flag = (value: boolean) => (dialect === "sqlite" ? Number(value) : value);

  const iso = (value: Date | string) => new Date(value).toISOString();

  it("holds each preference in its own column", async () => {
    const now = await save("user_a", { research_depth: "Expert", content_types: ["Blog Posts", "Whitepapers"], auto_research: false, factual_content: true });

    const rows = await rowsOf("user_a");

    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ research_depth: "Expert", auto_research: flag(false), factual_content: flag(true) });
    expect(jsonColumn(rows[0]!.content_types)).toEqual(["Blog Posts", "Whitepapers"]);
    expect(iso(rows[0]!.created_at)).toBe(now);
    expect(iso(rows[0]!.updated_at)).toBe(now);
  });

  it.each([
    [true, true],
    [true, false],
    [false, true],
    [false, false],
  ])("reads back auto_research %s and factual_content %s as booleans", async (autoResearch, factualContent) => {
    const saved = { research_depth: "Basic", content_types: ["News"], auto_research: autoResearch, factual_content: factualContent };

    await save("user_a", saved);

    expect(await readData("user_a")).toEqual(saved);
  });

  it("replaces the row on a second save instead of adding one, keeping created_at", async () => {
    const firstNow = await save("user_a", sampleStepData(3, "first"));
    const [first] = await rowsOf("user_a");

    const secondNow = await save("user_a", { research_depth: "Basic", content_types: ["Newsletters"], auto_research: false, factual_content: true });

    const rows = await rowsOf("user_a");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: first!.id, research_depth: "Basic", auto_research: flag(false), factual_content: flag(true) });
    expect(jsonColumn(rows[0]!.content_types)).toEqual(["Newsletters"]);
    expect(iso(rows[0]!.created_at)).toBe(firstNow);
    expect(iso(rows[0]!.updated_at)).toBe(secondNow);
  });

  it("keeps each user's preferences to their own session", async () => {
    await save("user_a", sampleStepData(3, "a"));
    await save("user_b", sampleStepData(3, "b"));

    await save("user_a", { ...sampleStepData(3, "a"), research_depth: "Basic" });
    await save("user_b", null);

    expect(await readData("user_a")).toEqual({ ...sampleStepData(3, "a"), research_depth: "Basic" });
    expect(await readData("user_b")).toBeNull();
    expect(await harness.test.database.kysely.selectFrom("research_preferences").select("research_depth").execute()).toEqual([{ research_depth: "Basic" }]);
  });

  it("holds another user's content types in that user's own row", async () => {
    await save("user_a", sampleStepData(3, "a"));
    await save("user_b", sampleStepData(3, "b"));

    expect(jsonColumn((await rowsOf("user_b"))[0]!.content_types)).toEqual(["blog", "case-b"]);
  });
});
