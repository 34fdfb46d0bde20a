import { isUtf8 } from "node:buffer";
import type SqliteDatabase from "better-sqlite3";
import { userIdProblem } from "../../auth/user-id.js";
import { apiKeyContext, type SecretCipher } from "../../crypto/secret-cipher.js";
import type { RebuildOutcome } from "./legacy-upgrader.js";
import { filledColumns, LEGACY_TABLES, planOf } from "./legacy-table-plan.js";

/** SQL functions that the SQLite rebuild calls from inside INSERT … SELECT. */
export const SEAL_KEY_FUNCTION = "upgrade_seal_key";
export const KEY_LAST4_FUNCTION = "upgrade_key_last4";
export const USER_ID_PROBLEM_FUNCTION = "upgrade_user_id_problem";
/** Called as tally(kind, name, value): counts the row under `kind`/`name` and returns `value`. */
export const TALLY_FUNCTION = "upgrade_tally";

export type Tallies = Pick<RebuildOutcome, "filled" | "invalidJsonQuoted">;

export interface RegisteredFunctions {
  /** The cipher's current key version, stored beside each ciphertext. */
  readonly keyVersion: number;
  /** What TALLY_FUNCTION has counted so far. */
  tallies(): Tallies;
  /** Forgets what one table's rolled-back attempt counted; other tables' counts stand. */
  restoreTallies(table: string, snapshot: Tallies): void;
  /** Adds what the same SQL counted elsewhere (the key sealing worker's copy of TALLY_FUNCTION). */
  addTallies(counted: Tallies): void;
}

/** Sealing happens inside INSERT … SELECT, row by row, so no key is ever written in clear. */
export function registerUpgradeFunctions(connection: SqliteDatabase.Database, cipher: SecretCipher): RegisteredFunctions {
  const counts = { filled: zeros(filledColumns()), invalidJsonQuoted: zeros(jsonColumns()) };
  connection.function(SEAL_KEY_FUNCTION, { deterministic: false }, (key, userId, provider) => {
    return cipher.seal(String(key), apiKeyContext(String(userId), String(provider))).ciphertext;
  });
  // The same rule as SecretCipher.seal's last4 (nothing in clear for keys of 4 characters or fewer).
  connection.function(KEY_LAST4_FUNCTION, { deterministic: true }, (key) => {
    const text = String(key);
    return text.length > 4 ? text.slice(-4) : "";
  });
  // Text reaches JS decoded, with bytes that are not UTF-8 already replaced: its bytes come alongside.
  const textIsUtf8 = connection.pragma("encoding", { simple: true }) === "UTF-8";
  connection.function(USER_ID_PROBLEM_FUNCTION, { deterministic: true }, (value, bytes) => {
    if (typeof value === "number" || typeof value === "bigint") return null;
    if (typeof value !== "string") return "is not text or a number";
    if (textIsUtf8 && bytes instanceof Uint8Array && !isUtf8(bytes)) return "is not valid UTF-8";
    return userIdProblem(value) ?? null;
  });
  connection.function(TALLY_FUNCTION, { deterministic: false }, (kind, name, value) => {
    const tally: Record<string, number> = kind === "filled" ? counts.filled : counts.invalidJsonQuoted;
    tally[String(name)] = (tally[String(name)] ?? 0) + 1;
    return value;
  });
  return {
    keyVersion: cipher.currentVersion,
    tallies: () => ({ filled: { ...counts.filled }, invalidJsonQuoted: { ...counts.invalidJsonQuoted } }),
    addTallies: (counted) => {
      addTo(counts.filled, counted.filled);
      addTo(counts.invalidJsonQuoted, counted.invalidJsonQuoted);
    },
    restoreTallies: (table, snapshot) => {
      restoreTable(counts.filled, snapshot.filled, table);
      restoreTable(counts.invalidJsonQuoted, snapshot.invalidJsonQuoted, table);
    },
  };
}

/** Chunks of other tables may have been copied since the snapshot: only `table.*` goes back. */
function restoreTable(counts: Record<string, number>, snapshot: Readonly<Record<string, number>>, table: string): void {
  for (const name of Object.keys(counts)) if (name.startsWith(`${table}.`)) counts[name] = snapshot[name] ?? 0;
}

function addTo(counts: Record<string, number>, counted: Readonly<Record<string, number>>): void {
  for (const [name, count] of Object.entries(counted)) counts[name] = (counts[name] ?? 0) + count;
}

function zeros(names: readonly string[]): Record<string, number> {
  return Object.fromEntries(names.map((name) => [name, 0]));
}

function jsonColumns(): string[] {
  return LEGACY_TABLES.flatMap((table) =>
    planOf(table)
      .copied.filter((column) => column.kind === "json")
      .map((column) => `${table}.${column.name}`),
  );
}
