import { afterEach, beforeEach, expect } from "vitest";
import type { SqlDialect } from "../db/database.js";
import { stepOf, withStep, type JsonObject } from "../onboarding/onboarding-record.js";
import { DatabaseStore } from "../storage/database-store.js";
import type { StepPersistence } from "../storage/step-persistence.js";
import { openTestDatabase, type TestDatabase } from "./test-database.js";

export interface StepTableHarness {
  readonly stepNumber: number;
  /** This test's fresh database. */
  readonly test: TestDatabase;
  /** A store that knows only this step: whatever it reads back came through the step's own table. */
  readonly store: DatabaseStore;
  /** Saves the step's data in one store transaction (locking rules are not a table's business); returns its `now`. */
  save(userId: string, data: JsonObject | null): Promise<string>;
  readData(userId: string): Promise<JsonObject | null>;
  /** A JSON column as the driver gives it, checked: text on SQLite, parsed jsonb on PostgreSQL. */
  jsonColumn(value: unknown): unknown;
}

/** Registers a fresh database per test for one step's persistence, as the step's table tests need it. */
export function useStepTable(dialect: SqlDialect, persistence: StepPersistence): StepTableHarness {
  let test: TestDatabase | undefined;
  let store: DatabaseStore | undefined;
  beforeEach(async () => {
    test = await openTestDatabase(dialect);
    store = new DatabaseStore(test.database, [persistence]);
  });
  afterEach(() => test?.cleanup());

  const index = persistence.stepNumber - 1;
  return {
    stepNumber: persistence.stepNumber,
    get test() {
      return test!;
    },
    get store() {
      return store!;
    },
    async save(userId, data) {
      let at = "";
      await store!.update(userId, (record, now) => {
        at = now;
        const step = stepOf(record, persistence.stepNumber);
        return withStep(record, { ...step, data, status: data === null ? "pending" : "in_progress", updatedAt: data === null ? null : now }, now);
      });
      return at;
    },
    readData: async (userId) => (await store!.read(userId))?.steps[index]?.data ?? null,
    jsonColumn(value) {
      if (value === null) return null;
      if (dialect === "sqlite") {
        expect(typeof value).toBe("string");
        return JSON.parse(value as string);
      }
      expect(typeof value).toBe("object");
      return value;
    },
  };
}
