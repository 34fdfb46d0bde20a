import { PGlite } from "@electric-sql/pglite";
import type { PostgresPool, PostgresPoolClient, PostgresQueryResult } from "kysely";

/**
 * PGlite (PostgreSQL in WebAssembly) behind the pool interface Kysely's PostgresDialect wants.
 * PGlite has one connection, so the pool hands out one client at a time: a second transaction
 * waits for the first, as it would for a row lock on a real server.
 */
export class PglitePool implements PostgresPool {
  /** Kysely opens a control connection with the pool's options to cancel a query; PGlite has no second connection to open. */
  readonly options = {};
  readonly #db: PGlite;
  #queue: Promise<void> = Promise.resolve();

  constructor(db: PGlite) {
    this.#db = db;
  }

  async connect(): Promise<PostgresPoolClient> {
    let release!: () => void;
    const turn = new Promise<void>((resolve) => (release = resolve));
    const previous = this.#queue;
    this.#queue = previous.then(() => turn);
    await previous;
    const db = this.#db;
    return {
      async query<R>(sql: string, parameters: readonly unknown[]): Promise<PostgresQueryResult<R>> {
        const result = await db.query<R>(sql, parameters as unknown[]);
        return { command: commandOf(sql), rowCount: result.affectedRows ?? result.rows.length, rows: result.rows };
      },
      release,
    } as PostgresPoolClient;
  }

  async end(): Promise<void> {
    await this.#db.close();
  }
}

function commandOf(sql: string): PostgresQueryResult<unknown>["command"] {
  const word = /^\s*(?:with\b[\s\S]*?\)\s*)?(\w+)/i.exec(sql)?.[1]?.toUpperCase();
  return (["INSERT", "UPDATE", "DELETE", "MERGE"].includes(word ?? "") ? word : "SELECT") as PostgresQueryResult<unknown>["command"];
}
