import { describe, expect, it } from "vitest";
import { sampleStepData } from "../../test-support/sample-steps.js";
import { TEST_DIALECTS } from "../../test-support/test-database.js";
import { itKeepsTheStepTableContract } from "../../test-support/step-table-contract.js";
import { useStepTable } from "../../test-support/step-table-harness.js";
import { personaPersistence } from "./persona-persistence.js";

describe.each(TEST_DIALECTS)("step 4 persistence (persona_data) on %s", (dialect) => {
  const harness = useStepTable(dialect, personaPersistence);
  itKeepsTheStepTableContract(harness, { table: "persona_data", sample: (tag) => sampleStepData(4, tag) });
  const { save, readData, jsonColumn } = harness;

  const rowsOf = (userId: string) =>
    harness.test.database.kysely
      .selectFrom("persona_data")
      .innerJoin("onboarding_sessions", "onboarding_sessions.id", "persona_data.session_id")
      .selectAll("persona_data")
      .where("onboarding_sessions.user_id", "=", userId)
      .execute();

  const iso = (value: Date | string) => new Date(value).toISOString();

  it("holds each part of the persona in its snake_case JSON column", async () => {
    const saved = sampleStepData(4, "a");
    await save("user_a", saved);

    const [row] = await rowsOf("user_a");

    expect(jsonColumn(row?.core_persona)).toEqual(saved.corePersona);
    expect(jsonColumn(row?.platform_personas)).toEqual(saved.platformPersonas);
    expect(jsonColumn(row?.quality_metrics)).toEqual({ completeness: 90, style_consistency: 72.5, platform_coverage: 100, overall: 87.5 });
    expect(jsonColumn(row?.selected_platforms)).toEqual(["linkedin", "blog"]);
  });

  it("reads nested JSON back equal: fractions, nulls, empty containers, non-ASCII text", async () => {
    const saved = {
      corePersona: { persona_name: "Zoë ✍️ 作家", traits: [{ name: "curious", weight: 0.125 }], motto: null, tags: [] },
      platformPersonas: { linkedin: {}, substack: { sections: { intro: { words: 120 } } } },
      qualityMetrics: { completeness: 0, overall: 99.99 },
      selectedPlatforms: ["substack", "linkedin"],
    };

    await save("user_a", saved);

    expect(await readData("user_a")).toEqual(saved);
  });

  it("replaces the row on a second save instead of adding one, keeping created_at", async () => {
    const firstNow = await save("user_a", sampleStepData(4, "first"));
    const [first] = await rowsOf("user_a");
    const second = { corePersona: { persona_name: "Second" }, platformPersonas: {}, qualityMetrics: { overall: 40 }, selectedPlatforms: ["medium"] };

    const secondNow = await save("user_a", second);

    const rows = await rowsOf("user_a");
    expect(rows).toHaveLength(1);
    expect(rows[0]?.id).toBe(first!.id);
    expect(jsonColumn(rows[0]?.selected_platforms)).toEqual(["medium"]);
    expect(jsonColumn(rows[0]?.platform_personas)).toEqual({});
    expect(iso(rows[0]!.created_at)).toBe(firstNow);
    expect(iso(rows[0]!.updated_at)).toBe(secondNow);
    expect(await readData("user_a")).toEqual(second);
  });

  it("keeps each user's persona to their own session", async () => {
    await save("user_a", sampleStepData(4, "a"));
    await save("user_b", sampleStepData(4, "b"));

    await save("user_a", sampleStepData(4, "a2"));
    await save("user_b", null);

    expect(await readData("user_a")).toEqual(sampleStepData(4, "a2"));
    expect(await readData("user_b")).toBeNull();
    const all = await harness.test.database.kysely.selectFrom("persona_data").select("core_persona").execute();
    expect(all.map((row) => jsonColumn(row.core_persona))).toEqual([{ persona_name: "Persona a2", tone: "warm" }]);
  });
});
