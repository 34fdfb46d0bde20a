import type { AbortableOperationOptions, DatabaseConnection, Dialect, DialectAdapter, Driver, TransactionSettings } from "kysely";

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
 * same counts for both engines: Kysely's PostgreSQL driver waits on the pg pool; for SQLite's one
 * connection this driver is the one that makes callers wait. Since Kysely 0.29 the wait for a
 * single connection happens above the driver (a mutex of Kysely's own, turned on by the adapter's
 * `supportsMultipleConnections: false`), where no driver can count it; so for such a dialect the
 * adapter says otherwise and the counting driver hands the connection out one caller at a time
 * itself. Costs two increments and two decrements per connection use.
 */
export function withConnectionCounts(dialect: Dialect, max: number): { readonly dialect: Dialect; readonly counts: () => ConnectionCounts } {
  const state = { inUse: 0, waiting: 0 };
  const singleConnection = dialect.createAdapter().supportsMultipleConnections === false;
  return {
    dialect: {
      createAdapter: () => (singleConnection ? servedOneAtATimeHere(dialect.createAdapter()) : dialect.createAdapter()),
      createDriver: () => new CountingDriver(dialect.createDriver(), state, singleConnection),
      createIntrospector: (db) => dialect.createIntrospector(db),
      createQueryCompiler: () => dialect.createQueryCompiler(),
    },
    counts: () => ({ inUse: state.inUse, waiting: state.waiting, max }),
  };
}

/** The adapter unchanged but for Kysely's own mutex, which the counting driver replaces. */
function servedOneAtATimeHere(adapter: DialectAdapter): DialectAdapter {
  return Object.create(adapter, { supportsMultipleConnections: { value: true } }) as DialectAdapter;
}

class CountingDriver implements Driver {
  readonly #inner: Driver;
  readonly #state: { inUse: number; waiting: number };
  /** Set for a single-connection engine: the turn of the caller that holds the connection. */
  readonly #turns: OneAtATime | undefined;

  constructor(inner: Driver, state: { inUse: number; waiting: number }, singleConnection: boolean) {
    this.#inner = inner;
    this.#state = state;
    this.#turns = singleConnection ? new OneAtATime() : undefined;
  }

  init(options?: AbortableOperationOptions): Promise<void> {
    return this.#inner.init(options);
  }

  async acquireConnection(options?: AbortableOperationOptions): Promise<DatabaseConnection> {
    this.#state.waiting += 1;
    let connection: DatabaseConnection;
    try {
      await this.#turns?.take();
      connection = await this.#inner.acquireConnection(options);
    } catch (error) {
      this.#turns?.pass();
      throw error;
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
    try {
      await this.#inner.releaseConnection(connection, options);
    } finally {
      this.#turns?.pass();
    }
  }

  destroy(options?: AbortableOperationOptions): Promise<void> {
    return this.#inner.destroy(options);
  }
}

/** First come, first served: `take` resolves when every earlier taker has called `pass`. */
class OneAtATime {
  #last: Promise<void> = Promise.resolve();
  readonly #passes: (() => void)[] = [];

  async take(): Promise<void> {
    const earlier = this.#last;
    let pass!: () => void;
    this.#last = new Promise<void>((resolve) => (pass = resolve));
    this.#passes.push(pass);
    await earlier;
  }

  pass(): void {
    this.#passes.shift()?.();
  }
}
