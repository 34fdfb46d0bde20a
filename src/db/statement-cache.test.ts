import SqliteDatabase from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { withStatementCache } from "./statement-cache.js";

describe("withStatementCache", () => {
  let connection: SqliteDatabase.Database;

  beforeEach(() => {
    connection = new SqliteDatabase(":memory:");
  });
  afterEach(() => {
    if (connection.open) connection.close();
  });

  it("prepares each SQL text once and gives the same statement back", () => {
    const cached = withStatementCache(connection);
    const first = cached.prepare("select ? as n");
    expect(cached.prepare("select ? as n")).toBe(first);
    expect(first.all([1])).toEqual([{ n: 1 }]);
    expect(cached.prepare("select ? as n").all([2])).toEqual([{ n: 2 }]);
  });

  it("keeps only the most recently used statements", () => {
    const cached = withStatementCache(connection, 2);
    const a = cached.prepare("select 1");
    const b = cached.prepare("select 2");
    expect(cached.prepare("select 1")).toBe(a);
    cached.prepare("select 3");
    expect(cached.prepare("select 1")).toBe(a);
    expect(cached.prepare("select 2")).not.toBe(b);
  });

  it("runs a cached statement again after the schema changed under it", () => {
    const cached = withStatementCache(connection);
    cached.prepare("create table t (a integer)").run([]);
    cached.prepare("insert into t (a) values (?)").run([1]);
    expect(cached.prepare("select * from t").all([])).toEqual([{ a: 1 }]);
    cached.prepare("alter table t add column b text").run([]);
    expect(cached.prepare("select * from t").all([])).toEqual([{ a: 1, b: null }]);
  });

  it("closes the connection", () => {
    withStatementCache(connection).close();
    expect(connection.open).toBe(false);
  });
});
