import { afterEach, describe, expect, it } from "vitest";
import { openTestApp, type TestApp } from "../../test-support/test-app.js";
import { TEST_DIALECTS } from "../../test-support/test-database.js";

describe.each(TEST_DIALECTS)("health on %s", (dialect) => {
  let t: TestApp;
  afterEach(() => t.close());

  it("says the process is alive and the database ready, naming the storage mode", async () => {
    t = await openTestApp(dialect, { STORAGE_MODE: "database" });
    const live = await t.app.inject({ method: "GET", url: "/healthz" });
    expect(live.statusCode).toBe(200);
    expect(live.json()).toEqual({ status: "ok" });
    expect(live.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    const ready = await t.app.inject({ method: "GET", url: "/readyz" });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: "ready", storage_mode: "database", database: "ok", file_write_failures: 0 });
  });

  it("answers 503 on /readyz when the database is gone, and the error shape on unknown routes", async () => {
    t = await openTestApp(dialect, { STORAGE_MODE: "dual" });
    const missing = await t.app.inject({ method: "GET", url: "/nope" });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: "not_found", errors: [] });
    await t.db.database.close();
    const ready = await t.app.inject({ method: "GET", url: "/readyz" });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toMatchObject({ status: "unavailable", storage_mode: "dual", database: "unreachable" });
    expect((await t.app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
  });
});
