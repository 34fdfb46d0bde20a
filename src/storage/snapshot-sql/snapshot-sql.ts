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
  /**
   * Run inside a write transaction before the snapshot (the users as `manyParameter`): locks the
   * sessions until the transaction ends and answers their `user_id`s; undefined where the
   * transaction holds the lock already.
   * A statement of its own, not a `FOR UPDATE` on the snapshot: in READ COMMITTED a statement
   * that waited for a lock still reads the other tables as they were when it began, so it would
   * miss the child rows the lock's previous holder just committed (and a save would write over them).
   */
  readonly lock: string | undefined;
}

/** A name of our own schema as SQL quotes it: never user input, quoted all the same. */
export function quotedName(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
