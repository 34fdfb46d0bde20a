/**
 * Driver errors that mean "the database cannot be reached or is overloaded", as opposed to a bug
 * or a refused statement: `Database` turns them into `DatabaseUnavailable` (503), so that a load
 * balancer or a client retries later. Only errors of the database's own calls are judged here: an
 * ECONNRESET of an HTTP client is not the database's.
 */
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now
  "08000",
  "08001",
  "08003",
  "08004",
  "08006", // connection_exception family
  "53300", // too_many_connections
  "SQLITE_BUSY",
  "SQLITE_LOCKED",
  "SQLITE_CANTOPEN",
  "SQLITE_READONLY",
  "SQLITE_IOERR",
  "SQLITE_FULL",
]);

const UNAVAILABLE_MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  // pg: a checked-out client whose connection the server ended between two queries.
  /encountered a connection error and is not queryable/i,
  /pool.*(ended|destroyed)/i,
  /database connection is not open/i,
  /driver has already been destroyed/i,
];

export function isConnectionFailure(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string" && (UNAVAILABLE_CODES.has(code) || code.startsWith("SQLITE_IOERR"))) return true;
  const message = (error as { message?: unknown }).message;
  return typeof message === "string" && UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(message));
}
