import { describe, expect, it } from "vitest";
import { sampleStepData } from "../../test-support/sample-steps.js";
import { TEST_DIALECTS } from "../../test-support/test-database.js";
import { itKeepsTheStepTableContract } from "../../test-support/step-table-contract.js";
import { useStepTable } from "../../test-support/step-table-harness.js";
import { integrationsPersistence } from "./integrations-persistence.js";

describe.each(TEST_DIALECTS)("step 5 persistence (platform_integrations) on %s", (dialect) => {
  const harness = useStepTable(dialect, integrationsPersistence);
  itKeepsTheStepTableContract(harness, { table: "platform_integrations", sample: (tag) => sampleStepData(5, tag) });
  const { save, readData, jsonColumn } = harness;

  const rowsOf = (userId: string) =>
    harness.test.database.kysely
      .selectFrom("platform_integrations")
      .innerJoin("onboarding_sessions", "onboarding_sessions.id", "platform_integrations.session_id")
      .selectAll("platform_integrations")
      .where("onboarding_sessions.user_id", "=", userId)
      .execute();

  const iso = (value: Date | string) => new Date(value).toISOString();

  it("holds the primary website in its column and each list in its JSON column", async () => {
    await save("user_a", sampleStepData(5, "a"));

    const [row] = await rowsOf("user_a");

    expect(row?.primary_website).toBe("https://a.example.com");
    expect(jsonColumn(row?.website_platforms)).toEqual(["wordpress"]);
    expect(jsonColumn(row?.analytics_platforms)).toEqual(["google_analytics"]);
    expect(jsonColumn(row?.social_platforms)).toEqual(["linkedin", "x-a"]);
    expect(row?.extra_settings).toBeNull();
  });

  it("stores no primary website as NULL and reads back none, with empty lists kept as lists", async () => {
    const saved = { website_platforms: [], analytics_platforms: [], social_platforms: [] };

    await save("user_a", saved);

    const [row] = await rowsOf("user_a");
    expect(row?.primary_website).toBeNull();
    expect(jsonColumn(row?.social_platforms)).toEqual([]);
    expect(await readData("user_a")).toEqual(saved);
  });

  it("keeps the old platform's free-form keys in extra_settings and gives them back as they were", async () => {
    const saved = { ...sampleStepData(5, "legacy"), cms_settings: { theme: "dark", posts_per_page: 10 }, newsletter: "mailchimp" };

    await save("user_a", saved);

    const [row] = await rowsOf("user_a");
    expect(jsonColumn(row?.extra_settings)).toEqual({ cms_settings: { theme: "dark", posts_per_page: 10 }, newsletter: "mailchimp" });
    expect(await readData("user_a")).toEqual(saved);
  });

  it("replaces the row on a second save instead of adding one, keeping created_at", async () => {
    const firstNow = await save("user_a", sampleStepData(5, "first"));
    const [first] = await rowsOf("user_a");
    const second = { website_platforms: ["ghost"], analytics_platforms: [], social_platforms: ["mastodon"] };

    const secondNow = await save("user_a", second);

    const rows = await rowsOf("user_a");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: first!.id, primary_website: null });
    expect(jsonColumn(rows[0]?.website_platforms)).toEqual(["ghost"]);
    expect(iso(rows[0]!.created_at)).toBe(firstNow);
    expect(iso(rows[0]!.updated_at)).toBe(secondNow);
    expect(await readData("user_a")).toEqual(second);
  });

  it("keeps each user's integrations to their own session", async () => {
    await save("user_a", sampleStepData(5, "a"));
    await save("user_b", sampleStepData(5, "b"));

    await save("user_a", sampleStepData(5, "a2"));
    await save("user_b", null);

    expect(await readData("user_a")).toEqual(sampleStepData(5, "a2"));
    expect(await readData("user_b")).toBeNull();
    const all = await harness.test.database.kysely.selectFrom("platform_integrations").select("primary_website").execute();
    expect(all).toEqual([{ primary_website: "https://a2.example.com" }]);
  });
});
