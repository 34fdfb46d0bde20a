import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import SqliteDatabase from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { backupOnWorkerThread } from "./sqlite-backup.js";

describe("the SQLite backup on a worker thread", () => {
  let dir: string;
  const source = () => join(dir, "source.db");

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "backup-worker-"));
    const db = new SqliteDatabase(source());
    db.exec("create table t (id integer primary key, v text); with recursive n(x) as (select 1 union all select x + 1 from n where x < 2000) insert into t (v) select hex(randomblob(200)) from n");
    db.close();
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("copies every page and row, in steps smaller than the database", async () => {
    await backupOnWorkerThread(source(), join(dir, "copy.db"), 7);
    const dump = (path: string) => {
      const db = new SqliteDatabase(path, { readonly: true });
      try {
        return { pages: db.pragma("page_count", { simple: true }), rows: db.prepare("select group_concat(v) from (select v from t order by id)").pluck().get() };
      } finally {
        db.close();
      }
    };
    expect(dump(join(dir, "copy.db"))).toEqual(dump(source()));
    expect(Number(dump(source()).pages)).toBeGreaterThan(7);
  });

  it("fails, naming the reason, when the destination cannot be written", async () => {
    await expect(backupOnWorkerThread(source(), join(dir, "no-such-folder", "copy.db"), 100)).rejects.toThrow(/the backup failed: .*directory does not exist/i);
  });
});
