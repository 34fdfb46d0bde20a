import { createServer } from "node:net";
import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { DatabaseUnavailable } from "../errors/app-errors.js";
import { openTestDatabase, type TestDatabase } from "../test-support/test-database.js";
import { openDatabase, type Database } from "./database.js";

/** A local port that refuses connections: bound, then released. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe("a database that cannot be reached", () => {
  const opened: Database[] = [];
  afterEach(async () => {
    for (const database of opened.splice(0)) await database.close();
  });

  it("reports DatabaseUnavailable for a query made straight on its Kysely, not only inside the store's transactions", async () => {
    const database = openDatabase({ dialect: "postgres", url: `postgres://postgres@127.0.0.1:${await closedPort()}/nowhere` });
    opened.push(database);
    await expect(database.kysely.selectFrom("persona_tasks").selectAll().execute()).rejects.toBeInstanceOf(DatabaseUnavailable);
    await expect(database.writeTransaction((trx) => trx.selectFrom("onboarding_sessions").selectAll().execute())).rejects.toBeInstanceOf(
      DatabaseUnavailable,
    );
    await expect(database.ping()).rejects.toBeInstanceOf(DatabaseUnavailable);
  });
});

describe("a database that answers", () => {
  let test: TestDatabase | undefined;
  afterEach(async () => {
    await test?.cleanup();
  });

  it("passes a refused statement through as the driver's own error: a bug is not an outage", async () => {
    test = await openTestDatabase("sqlite");
    const failure: unknown = await sql`select * from no_such_table`.execute(test.database.kysely).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(failure).not.toBeInstanceOf(DatabaseUnavailable);
    expect(String(failure)).toMatch(/no such table/);
  });
});
