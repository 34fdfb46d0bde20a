import type { CompiledQuery, Insertable, Kysely } from "kysely";
import { deleteStatements, upsertStatements, type Upsert } from "./bulk-rows.js";
import type { SqlDialect } from "./database.js";
import { chainStatements } from "./postgres-statement-chain.js";
import type { SessionChildTable } from "./session-child-tables.js";
import type { Tables } from "./tables.js";

/**
 * The writes of one save (or one batch of an import), collected and then sent together: SQLite
 * runs them one by one on its in-process connection; PostgreSQL gets them chained into as few
 * statements as its parameter limit allows, so that a save costs one round trip, not one per table.
 * Every write must touch rows no other write of the batch touches (PostgreSQL runs a chain's
 * parts on one snapshot).
 */
export class WriteBatch {
  readonly #db: Kysely<Tables>;
  readonly #dialect: SqlDialect;
  readonly #statements: CompiledQuery[] = [];

  constructor(db: Kysely<Tables>, dialect: SqlDialect) {
    this.#db = db;
    this.#dialect = dialect;
  }

  upsert<T extends keyof Tables>(table: T, rows: readonly Insertable<Tables[T]>[], upsert: Upsert<T>): void {
    this.#statements.push(...upsertStatements(this.#db, table, rows, upsert));
  }

  deleteSessionRows(table: SessionChildTable, sessionIds: readonly number[], others?: { readonly column: string; readonly notIn: readonly string[] }): void {
    if (sessionIds.length > 0) this.#statements.push(...deleteStatements(this.#db, table, sessionIds, others));
  }

  async flush(): Promise<void> {
    const pending = this.#statements.splice(0);
    for (const statement of this.#dialect === "postgres" ? chainStatements(pending) : pending) await this.#db.executeQuery(statement);
  }
}
