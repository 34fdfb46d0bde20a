import type { Migration } from "../migration.js";
import { initialSchema } from "./0001-initial-schema.js";
import { personaTasks } from "./0002-persona-tasks.js";
import { expensiveWork } from "./0003-expensive-work.js";
import { preferredModelKey } from "./0004-preferred-model-key.js";

/** Every migration, in version order. Add new ones at the end; never edit an applied one. */
export const MIGRATIONS: readonly Migration[] = [initialSchema, personaTasks, expensiveWork, preferredModelKey];
