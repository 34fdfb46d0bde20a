/** What must never be in an answer's body: a stack frame, a source path, SQL, a driver's error. */
export const SERVER_INSIDES = /\bat .+[.](ts|js):\d+|node_modules|\/src\/|\bselect\b.+\bfrom\b|\binsert into\b|\bupdate\b.+\bset\b|SQLITE_|syntax error at/i;

/**
 * What a message a person reads (an API `detail`, a field's message, a warning) must never hold
 * (SPEC §10): a URL, an API path, a method and path, a host:port or an IP address, a socket error
 * code, an HTTP status line.
 */
export const NOT_FOR_PEOPLE =
  /https?:\/\/|\/api\/|\b(GET|POST|PUT|PATCH|DELETE)\s+\/|\b(localhost|[a-z0-9-]+(\.[a-z0-9-]+)+):\d{2,5}\b|\b\d{1,3}(\.\d{1,3}){3}\b|\bE(CONN[A-Z]+|NOTFOUND|TIMEDOUT|AI_AGAIN|HOSTUNREACH|NETUNREACH|PIPE)\b|\bHTTP\s?\d{3}\b/;
