import type { Kysely } from "kysely";
import type { SqlDialect } from "./database.js";

/** One schema change, written once for SQLite and PostgreSQL; versions only ever grow. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  // The schema before a migration is not the `Tables` type of today, hence `any`.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  up(db: Kysely<any>, dialect: SqlDialect): Promise<void>;
}
