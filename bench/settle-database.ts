import { execFileSync } from "node:child_process";
import { sql } from "kysely";
import type { Database } from "../src/db/database.js";

/**
 * After a bulk growth, what a database that grew over months would already have done, so that
 * the measurement that follows does not pay for it: PostgreSQL's statistics gathered and dead
 * rows cleared (autovacuum would start on its own, in the middle of the measurement), the
 * write-ahead log checkpointed on both engines, and the kernel's dirty pages written out.
 */
export async function settleDatabase(database: Database): Promise<void> {
  if (database.dialect === "postgres") {
    await sql`vacuum analyze`.execute(database.kysely);
    await sql`checkpoint`.execute(database.kysely);
  } else {
    await sql`pragma wal_checkpoint(truncate)`.execute(database.kysely);
  }
  execFileSync("sync");
}
