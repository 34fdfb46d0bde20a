/** An SQL identifier in double quotes; identifiers come from constants, never from data. */
export function quoted(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}
