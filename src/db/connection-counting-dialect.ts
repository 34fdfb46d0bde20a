import type { AbortableOperationOptions, DatabaseConnection, Dialect, Driver, TransactionSettings } from "kysely";

/** What the operators' view shows of a database's connections (GET /metrics). */
export interface ConnectionCounts {
  /** Connections held by a query or transaction right now. */
  readonly inUse: number;
  /** Callers waiting for a connection: the pool is exhausted (PostgreSQL) or SQLite's one connection is busy. */
  readonly waiting: number;
  /** How many connections there can be at most: the pool size, or 1 for SQLite. */
  readonly max: number;
}

/**
 * Counts, at the driver, the connections handed out and the callers still waiting for one. The
 * same counts for both engines: Kysely's PostgreSQL driver waits on the pg pool, its SQLite driver
 * on the mutex of its one connection. Costs two increments and two decrements per connection use.
 */
export function withConnectionCounts(dialect: Dialect, max: number): { readonly dialect: Dialect; readonly counts: () => ConnectionCounts } {
  const state = { inUse: 0, waiting: 0 };
  return {
    dialect: {
      createAdapter: () => dialect.createAdapter(),
      createDriver: () => new CountingDriver(dialect.createDriver(), state),
      createIntrospector: (db) => dialect.createIntrospector(db),
      createQueryCompiler: () => dialect.createQueryCompiler(),
    },
    counts: () => ({ inUse: state.inUse, waiting: state.waiting, max }),
  };
}

class CountingDriver implements Driver {
  readonly #inner: Driver;
  readonly #state: { inUse: number; waiting: number };

  constructor(inner: Driver, state: { inUse: number; waiting: number }) {
    this.#inner = inner;
    this.#state = state;
  }

  init(options?: AbortableOperationOptions): Promise<void> {
    return this.#inner.init(options);
  }

  async acquireConnection(options?: AbortableOperationOptions): Promise<DatabaseConnection> {
    this.#state.waiting += 1;
    let connection: DatabaseConnection;
    try {
      connection = await this.#inner.acquireConnection(options);
    } finally {
      this.#state.waiting -= 1;
    }
    this.#state.inUse += 1;
    return connection;
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return this.#inner.beginTransaction(connection, settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#inner.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.#inner.rollbackTransaction(connection);
  }

  async releaseConnection(connection: DatabaseConnection, options?: AbortableOperationOptions): Promise<void> {
    this.#state.inUse -= 1;
    await this.#inner.releaseConnection(connection, options);
  }

  destroy(options?: AbortableOperationOptions): Promise<void> {
    return this.#inner.destroy(options);
  }
}
