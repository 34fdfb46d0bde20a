import { columnType } from "../column-types.js";
import type { Migration } from "../migration.js";

/**
 * Step 1's optional `preferred_provider` (SPEC §6 "Which model"): a flag on the row of the key
 * that drives the user's model. A preference without a saved key means nothing, so it lives on
 * the key's row and goes with it.
 */
export const preferredModelKey: Migration = {
  version: 4,
  name: "preferred-model-key",
  async up(db, dialect) {
    await db.schema
      .alterTable("api_keys")
      .addColumn("preferred", columnType(dialect, "boolean"), (c) => c.notNull().defaultTo(dialect === "postgres" ? false : 0))
      .execute();
  },
};
