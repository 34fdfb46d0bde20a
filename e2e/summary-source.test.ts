import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { ApiClient } from "../src/test-support/api-client.js";
import { sampleStepData } from "../src/test-support/sample-steps.js";
import { openTestApp, type TestApp } from "../src/test-support/test-app.js";
import { TEST_DIALECTS } from "../src/test-support/test-database.js";
import { walkToStepFour } from "./hardening-support.js";

const USER = "user_summary";

describe.each(TEST_DIALECTS)("Step 6 reads the database only, on %s in dual mode", (dialect) => {
  let t: TestApp;
  afterEach(() => t.close());

  async function walked(): Promise<{ api: ApiClient; file: string; summary: unknown }> {
    t = await openTestApp(dialect, { STORAGE_MODE: "dual" });
    const api = await ApiClient.signIn(t.app, USER);
    await walkToStepFour(api, "sum");
    expect((await api.post("/step/4/complete")).status).toBe(200);
    expect((await api.post("/step/5/complete", { data: sampleStepData(5, "sum") })).status).toBe(200);
    await t.services.store.settled();
    const file = join(t.services.config.progressDir, `.onboarding_progress_${USER}.json`);
    expect(existsSync(file)).toBe(true);
    const summary = await api.get("/summary");
    expect(summary.status).toBe(200);
    expect(summary.body.research_preferences).toEqual(sampleStepData(3, "sum"));
    return { api, file, summary: summary.body };
  }

  it("answers the same summary when the progress file says something else, is damaged, or is gone", async () => {
    const { api, file, summary } = await walked();

    const other = JSON.parse(readFileSync(file, "utf8"));
    other.steps[2].data.research_depth = "Basic";
    other.steps[3].data = null;
    other.steps[4].status = "pending";
    writeFileSync(file, JSON.stringify(other, null, 2));
    expect((await api.get("/summary")).body).toEqual(summary);

    writeFileSync(file, '{"steps": [ {"step_number": 1, "tit');
    expect((await api.get("/summary")).body).toEqual(summary);

    rmSync(file);
    expect((await api.get("/summary")).body).toEqual(summary);
    expect(existsSync(file)).toBe(false);
  });

  it("shows a row changed directly in the database", async () => {
    const { api, summary } = await walked();
    const kysely = t.db.database.kysely;
    const session = sql<{ id: number }>`select id from onboarding_sessions where user_id = ${USER}`;
    await sql`update research_preferences set research_depth = 'Expert' where session_id = (${session})`.execute(kysely);
    await sql`delete from api_keys where session_id = (${session})`.execute(kysely);

    const changed = await api.get("/summary");
    expect(changed.status).toBe(200);
    expect(changed.body.research_preferences).toEqual({ ...sampleStepData(3, "sum"), research_depth: "Expert" });
    expect(changed.body.api_keys).toEqual({ count: 0, providers: [] });
    expect(changed.body.capabilities_overview).toMatchObject({ ai_content_generation: false, content_optimization: false });
    expect(changed.body.persona_readiness).toEqual({ ready: false, reason: "Not ready: missing a language model key (step 1)", missing_data: ["api_keys"] });
    expect(changed.body.configuration_and_capabilities).toEqual({ capabilities_overview: changed.body.capabilities_overview });
    const changedFields = { research_preferences: null, api_keys: null, capabilities_overview: null, persona_readiness: null, configuration_and_capabilities: null };
    expect({ ...changed.body, ...changedFields }).toEqual({ ...(summary as object), ...changedFields });
  });
});
