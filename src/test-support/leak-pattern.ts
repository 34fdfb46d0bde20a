/** What must never be in an answer's body: a stack frame, a source path, SQL, a driver's error. */
export const SERVER_INSIDES = /\bat .+[.](ts|js):\d+|node_modules|\/src\/|\bselect\b.+\bfrom\b|\binsert into\b|\bupdate\b.+\bset\b|SQLITE_|syntax error at/i;
