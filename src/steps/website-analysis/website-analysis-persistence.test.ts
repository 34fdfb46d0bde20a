import { describe, expect, it } from "vitest";
import { type JsonObject } from "../../onboarding/onboarding-record.js";
import { sampleStepData } from "../../test-support/sample-steps.js";
import { TEST_DIALECTS } from "../../test-support/test-database.js";
import { itKeepsTheStepTableContract } from "../../test-support/step-table-contract.js";
import { useStepTable } from "../../test-support/step-table-harness.js";
import { websiteAnalysisPersistence } from "./website-analysis-persistence.js";
import { ANALYSIS_STATUSES } from "./website-analysis-schema.js";
import { ANALYSIS_FIELDS } from "../../onboarding/analysis-fields.js";

describe.each(TEST_DIALECTS)("step 2 persistence (website_analyses) on %s", (dialect) => {
  const harness = useStepTable(dialect, websiteAnalysisPersistence);
  itKeepsTheStepTableContract(harness, { table: "website_analyses", sample: (tag) => sampleStepData(2, tag) });
  const { save, readData, jsonColumn } = harness;

  const rowsOf = (userId: string) =>
    harness.test.database.kysely
      .selectFrom("website_analyses")
      .innerJoin("onboarding_sessions", "onboarding_sessions.id", "website_analyses.session_id")
      .selectAll("website_analyses")
      .where("onboarding_sessions.user_id", "=", userId)
      .execute();

  const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

  it("puts the nine analysis fields in their columns and the rest in crawl_result", async () => {
    const saved = sampleStepData(2, "a");
    const analysis = saved.analysis as JsonObject;
    const now = await save("user_a", saved);

    const [row] = await rowsOf("user_a");

    expect(row?.website_url).toBe("https://a.example.com");
    for (const field of ANALYSIS_FIELDS) expect(jsonColumn(row?.[field]), field).toEqual(analysis[field]);
    expect(jsonColumn(row?.crawl_result)).toEqual({ metrics: { word_count: 1200 }, status: "completed" });
    expect(row).toMatchObject({ status: "completed", error_message: null, warning_message: null });
    expect(iso(row?.analysis_date ?? null)).toBe(now);
  });

  it("copies a failed analysis' status and messages to their columns and reads them back", async () => {
    const saved = {
      website: "https://down.example.com",
      analysis: { status: "failed", error_message: "the page answered 503", warning_message: "robots.txt disallows crawling" },
    };
    await save("user_a", saved);

    const [row] = await rowsOf("user_a");

    expect(row).toMatchObject({ status: "failed", error_message: "the page answered 503", warning_message: "robots.txt disallows crawling" });
    for (const field of ANALYSIS_FIELDS) expect(row?.[field], field).toBeNull();
    expect(await readData("user_a")).toEqual(saved);
  });

  it.each(ANALYSIS_STATUSES.map((status) => ({ status })))("stores the analysis status $status in the status column", async ({ status }) => {
    await save("user_a", { website: "https://status.example.com", analysis: { status } });

    const [row] = await rowsOf("user_a");

    expect(row?.status).toBe(status);
    expect((await readData("user_a"))?.analysis).toEqual({ status });
  });

  it("records an analysis sent without a status as completed, without putting a status into the analysis", async () => {
    const saved = { website: "https://sent.example.com", analysis: { writing_style: { tone: "dry" } } };
    await save("user_a", saved);

    const [row] = await rowsOf("user_a");

    expect(row).toMatchObject({ status: "completed", crawl_result: null, error_message: null });
    expect(jsonColumn(row?.writing_style)).toEqual({ tone: "dry" });
    expect(await readData("user_a")).toEqual(saved);
  });

  it("stores a website without analysis as pending, with no analysis date, and reads back no analysis", async () => {
    await save("user_a", { website: "https://new.example.com" });

    const [row] = await rowsOf("user_a");

    expect(row).toMatchObject({ website_url: "https://new.example.com", status: "pending", analysis_date: null, crawl_result: null });
    expect(await readData("user_a")).toEqual({ website: "https://new.example.com" });
  });

  it("tells an empty analysis from no analysis", async () => {
    await save("user_a", { website: "https://empty.example.com", analysis: {} });

    expect(await readData("user_a")).toEqual({ website: "https://empty.example.com", analysis: {} });
  });

  it("reads the analysis of a legacy row that has analysis columns but no analysis_date", async () => {
    await save("user_legacy", sampleStepData(2, "legacy"));
    await harness.test.database.kysely.updateTable("website_analyses").set({ analysis_date: null }).execute();

    expect(await readData("user_legacy")).toEqual(sampleStepData(2, "legacy"));
  });

  it("keeps an over-long status from an imported file whole in the analysis, cut to the column's 50 characters", async () => {
    const imported = { website: "https://old.example.com", analysis: { status: "s".repeat(80), writing_style: { tone: "dry" } } };
    await save("user_old", imported);

    const [row] = await rowsOf("user_old");
    expect(row?.status).toBe("s".repeat(50));
    expect(await readData("user_old")).toEqual(imported);
  });

  it("replaces the row on a second save instead of adding one, keeping created_at", async () => {
    const firstNow = await save("user_a", sampleStepData(2, "first"));
    const [first] = await rowsOf("user_a");

    const secondNow = await save("user_a", { website: "https://second.example.com" });

    const rows = await rowsOf("user_a");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: first!.id, website_url: "https://second.example.com", status: "pending", analysis_date: null, crawl_result: null });
    for (const field of ANALYSIS_FIELDS) expect(rows[0]?.[field], field).toBeNull();
    expect(iso(rows[0]!.created_at)).toBe(firstNow);
    expect(iso(rows[0]!.updated_at)).toBe(secondNow);
    expect(await readData("user_a")).toEqual({ website: "https://second.example.com" });
  });

  it("keeps each user's analysis to their own session", async () => {
    await save("user_a", sampleStepData(2, "a"));
    await save("user_b", sampleStepData(2, "b"));

    await save("user_a", sampleStepData(2, "a2"));
    await save("user_b", null);

    expect(await readData("user_a")).toEqual(sampleStepData(2, "a2"));
    expect(await readData("user_b")).toBeNull();
    expect(await readData("user_nobody")).toBeNull();
    const all = await harness.test.database.kysely.selectFrom("website_analyses").select("website_url").execute();
    expect(all).toEqual([{ website_url: "https://a2.example.com" }]);
  });

  it("holds another user's website in that user's own row", async () => {
    await save("user_a", sampleStepData(2, "a"));
    await save("user_b", sampleStepData(2, "b"));

    expect((await rowsOf("user_b")).map((row) => row.website_url)).toEqual(["https://b.example.com"]);
  });
});
