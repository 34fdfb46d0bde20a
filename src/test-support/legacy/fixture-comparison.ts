import { expect } from "vitest";
import { planOf, type LegacyTableName } from "../../cli/upgrade-legacy/legacy/legacy-table-plan.js";
import { fromFlag } from "../../db/column-codecs.js";
import type { SqlDialect } from "../../db/database.js";
import { UPGRADE_TIME, type FixtureRow } from "./legacy-fixture-rows.js";

/** Test helper: compares an upgraded row with the legacy fixture row it came from. */

/** Asserts that our row holds every value of the legacy row (or the one the fixture expects instead). */
export function expectSameValues(
  dialect: SqlDialect,
  table: LegacyTableName,
  ours: Record<string, unknown>,
  legacy: FixtureRow,
  upgradeTime: Date,
): void {
  const expected = (column: string) => (legacy.expected !== undefined && column in legacy.expected ? legacy.expected[column] : legacy.values[column]);
  const where = `${table} row ${String(legacy.values.id)}`;
  if (table === "onboarding_sessions") expect(ours.user_id, where).toBe(String(legacy.values.user_id));
  else expect(Number(ours.session_id), where).toBe(expected("session_id"));
  for (const column of planOf(table).copied) {
    const label = `${where}.${column.name}`;
    const want = expected(column.name);
    const have = ours[column.name];
    if (column.kind === "timestamp") expect(sameTime(have, want, upgradeTime), `${label}: ${String(have)} vs ${String(want)}`).toBe(true);
    else if (column.kind === "json") expect(readJson(dialect, have), label).toEqual(parseLegacyJson(want));
    else if (column.kind === "flag") expect(fromFlag(have as number), label).toBe(Boolean(want));
    else if (typeof want === "number") expect(Number(have), label).toBeCloseTo(want, 9);
    else expect(have, label).toBe(want);
  }
}

/** SQLite keeps legacy text as it was; PostgreSQL turns naive UTC timestamps into instants. */
function sameTime(ours: unknown, legacy: unknown, upgradeTime: Date): boolean {
  if (legacy === null) return ours === null;
  const wanted = legacy === UPGRADE_TIME ? upgradeTime.toISOString() : String(legacy);
  if (typeof ours === "string") return ours === wanted;
  const instant = /Z$/.test(wanted) ? wanted : `${wanted.replace(" ", "T").replace(/(\.\d{3})\d+$/, "$1")}Z`;
  return ours instanceof Date && ours.toISOString() === new Date(instant).toISOString();
}

/**
 * SQLite returns JSON as text, PostgreSQL's driver parses jsonb. (Not fromJsonColumn: it would
 * parse a top-level JSON string from jsonb a second time.)
 */
function readJson(dialect: SqlDialect, value: unknown): unknown {
  return typeof value === "string" && dialect === "sqlite" ? JSON.parse(value) : value;
}

/** Text that was not JSON survives as a JSON string of itself. */
function parseLegacyJson(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  try {
    return JSON.parse(String(value));
  } catch {
    return String(value);
  }
}
