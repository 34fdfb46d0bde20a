/**
 * The one statement that reads sessions with every row of their child tables: the session's
 * columns, then one column per child table holding its rows as a JSON array of objects.
 * One statement is one snapshot on both engines, so a read needs no transaction.
 */
export interface SnapshotSql {
  /** `…where` one user's id: the first parameter. */
  readonly one: string;
  /** `…where` any of the users given as `manyParameter(userIds)`, the only parameter. */
  readonly many: string;
  manyParameter(userIds: readonly string[]): unknown;
  /** Appended inside a write transaction: locks the sessions read until it ends (empty where the transaction holds the lock already). */
  readonly lockSuffix: string;
}

/** A name of our own schema as SQL quotes it: never user input, quoted all the same. */
export function quotedName(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
