import type { AbortableOperationOptions, DatabaseConnection, Dialect, Driver, QueryResult, TransactionSettings, CompiledQuery } from "kysely";
import { DatabaseUnavailable } from "../errors/app-errors.js";
import { isConnectionFailure } from "./connection-failure.js";

/**
 * The one place a driver's "cannot reach the database" becomes the typed `DatabaseUnavailable`
 * (503): every connection, transaction and query of a Kysely built on this dialect goes through
 * it, whoever issues it (the stores, the persona tasks, a CLI command). Other errors pass as they are.
 */
export function withTypedOutages(dialect: Dialect): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createDriver: () => new OutageTypingDriver(dialect.createDriver()),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createQueryCompiler: () => dialect.createQueryCompiler(),
  };
}

class OutageTypingDriver implements Driver {
  readonly #inner: Driver;

  constructor(inner: Driver) {
    this.#inner = inner;
  }

  init(options?: AbortableOperationOptions): Promise<void> {
    return typingOutages(() => this.#inner.init(options));
  }

  async acquireConnection(options?: AbortableOperationOptions): Promise<DatabaseConnection> {
    return new OutageTypingConnection(await typingOutages(() => this.#inner.acquireConnection(options)));
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return typingOutages(() => this.#inner.beginTransaction(innerOf(connection), settings));
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return typingOutages(() => this.#inner.commitTransaction(innerOf(connection)));
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return typingOutages(() => this.#inner.rollbackTransaction(innerOf(connection)));
  }

  releaseConnection(connection: DatabaseConnection, options?: AbortableOperationOptions): Promise<void> {
    return this.#inner.releaseConnection(innerOf(connection), options);
  }

  destroy(options?: AbortableOperationOptions): Promise<void> {
    return this.#inner.destroy(options);
  }
}

class OutageTypingConnection implements DatabaseConnection {
  readonly inner: DatabaseConnection;

  constructor(inner: DatabaseConnection) {
    this.inner = inner;
  }

  executeQuery<R>(compiledQuery: CompiledQuery, options?: AbortableOperationOptions): Promise<QueryResult<R>> {
    return typingOutages(() => this.inner.executeQuery<R>(compiledQuery, options));
  }

  streamQuery<R>(compiledQuery: CompiledQuery, chunkSize: number, options?: AbortableOperationOptions): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(compiledQuery, chunkSize, options);
  }
}

function innerOf(connection: DatabaseConnection): DatabaseConnection {
  return connection instanceof OutageTypingConnection ? connection.inner : connection;
}

/**
 * Also used by `Database` around its transactions: a Kysely that was destroyed (shutdown) refuses
 * in its own runtime layer, before any driver of ours is asked.
 */
export async function typingOutages<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw isConnectionFailure(error) ? new DatabaseUnavailable(error) : error;
  }
}
