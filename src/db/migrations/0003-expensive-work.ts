import { sql } from "kysely";
import { columnType } from "../column-types.js";
import type { Migration } from "../migration.js";

/**
 * The limits on expensive work (website analyses, persona generations), shared by every app
 * instance on this database (decision 0012): the starts of each user's last minute, and the run
 * of each kind a user has going, with its outcome for the requests that wait for it.
 */
export const expensiveWork: Migration = {
  version: 3,
  name: "expensive-work",
  async up(db, dialect) {
    await db.schema
      .createTable("expensive_work_limits")
      .addColumn("user_id", "varchar(255)", (c) => c.primaryKey())
      // JSON array of the starts within the window, in epoch milliseconds, oldest first.
      .addColumn("starts", columnType(dialect, "json"), (c) => c.notNull())
      .addColumn("updated_at", columnType(dialect, "timestamp"), (c) => c.notNull())
      .execute();
    await db.schema.createIndex("expensive_work_limits_updated_at").on("expensive_work_limits").column("updated_at").execute();

    await db.schema
      .createTable("expensive_work_runs")
      .addColumn("user_id", "varchar(255)", (c) => c.notNull())
      .addColumn("kind", "varchar(32)", (c) => c.notNull())
      .addColumn("run_id", "varchar(36)", (c) => c.notNull())
      .addColumn("status", "varchar(16)", (c) => c.notNull().check(sql`status in ('running', 'finished')`))
      .addColumn("outcome", columnType(dialect, "json"))
      // A running row not written for a while belongs to an instance that stopped: it may be taken over.
      .addColumn("updated_at", columnType(dialect, "timestamp"), (c) => c.notNull())
      .addPrimaryKeyConstraint("expensive_work_runs_pk", ["user_id", "kind"])
      .execute();
    await db.schema.createIndex("expensive_work_runs_updated_at").on("expensive_work_runs").column("updated_at").execute();
  },
};
