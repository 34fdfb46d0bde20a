/** `20250102T030405678Z`: UTC, sortable, safe in file and schema names, distinct per millisecond. */
export function backupStamp(at: Date): string {
  return at.toISOString().replace(/[-:.]/g, "");
}

export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}
