import { CompiledQuery, type Kysely } from "kysely";
import type { Tables } from "../../../db/tables.js";
import { quoted } from "./quoted.js";

/** Raw SQL only: the legacy tables are not in `Tables`. */
export type UpgradeExecutor = Kysely<Tables>;

/** The upgrade is table plumbing written as SQL text; identifiers come from constants, never from data. */
export async function execute(db: UpgradeExecutor, text: string): Promise<number> {
  const result = await db.executeQuery(CompiledQuery.raw(text));
  return Number(result.numAffectedRows ?? 0n);
}

export async function query<Row>(db: UpgradeExecutor, text: string, parameters: readonly unknown[] = []): Promise<Row[]> {
  const result = await db.executeQuery<Row>(CompiledQuery.raw(text, [...parameters]));
  return [...result.rows];
}

export async function countOf(db: UpgradeExecutor, text: string): Promise<number> {
  const rows = await query<{ n: number | string | bigint | null }>(db, text);
  return Number(rows[0]?.n ?? 0);
}

export async function countRows(db: UpgradeExecutor, tables: readonly string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of tables) counts[table] = await countOf(db, `select count(*) as n from ${quoted(table)}`);
  return counts;
}
