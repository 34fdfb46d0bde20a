/** Whether SQLite refused a row for our UNIQUE or PRIMARY KEY constraint: the copies then keep the newest row only. */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}
