import type { Insertable, Selectable } from "kysely";
import { toIsoTimestamp } from "../db/column-codecs.js";
import type { Tables } from "../db/tables.js";
import type { JsonObject } from "../onboarding/onboarding-record.js";
import type { StepContext, StepTable } from "./step-persistence.js";

/** The step tables that hold one row per session (unique session_id). */
export type OneRowTable = "website_analyses" | "research_preferences" | "persona_data" | "platform_integrations";

/** A row's own columns: the session, the id and the timestamps are the table's business. */
export type StepColumns<T extends OneRowTable> = Omit<Insertable<Tables[T]>, "id" | "session_id" | "created_at" | "updated_at">;

/** How one step's data maps onto its row, both ways. */
export interface OneRowCodec<T extends OneRowTable> {
  /** Every column, none undefined: rows of one batch share one statement. */
  toRow(data: JsonObject, context: StepContext): StepColumns<T>;
  fromRow(row: Selectable<Tables[T]>): JsonObject;
}

interface StampedRow {
  readonly session_id: number;
  readonly updated_at: Date | string;
}

/**
 * A step table of one row per session: one upsert for every session that has data (created_at
 * kept from the first save), one delete for every session whose data became null.
 */
export function oneRowPerSessionTable<T extends OneRowTable>(table: T, codec: OneRowCodec<T>): StepTable {
  return {
    table,

    writeMany(batch, writes) {
      batch.deleteSessionRows(table, writes.filter((write) => write.data === null).map((write) => write.sessionId));
      const rows = writes.flatMap(({ sessionId, data, context }) =>
        data === null
          ? []
          : [{ session_id: sessionId, ...codec.toRow(data, context), created_at: context.now, updated_at: context.now }],
      );
      if (rows.length === 0) return;
      const update = Object.keys(rows[0]!).filter((column) => column !== "session_id" && column !== "created_at");
      batch.upsert(table, rows as unknown as Insertable<Tables[T]>[], {
        conflict: ["session_id"] as (keyof Tables[T] & string)[],
        update: update as (keyof Tables[T] & string)[],
      });
    },

    fromRows([row]) {
      const stamped = row as unknown as StampedRow;
      return { data: codec.fromRow(row as unknown as Selectable<Tables[T]>), updatedAt: toIsoTimestamp(stamped.updated_at) };
    },
  };
}
