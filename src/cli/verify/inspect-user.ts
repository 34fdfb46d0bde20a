import type { Database } from "../../db/database.js";
import type { JsonObject, StepRecord } from "../../onboarding/onboarding-record.js";
import { STEP_CATALOGUE } from "../../onboarding/step-catalogue.js";
import { completionPercentage, currentStep } from "../../onboarding/step-rules.js";
import { maskStoredKey } from "../../steps/api-keys/api-keys-persistence.js";
import { storedKeys } from "../../steps/api-keys/api-keys-definition.js";
import { DatabaseStore } from "../../storage/database-store.js";
import type { StepPersistence } from "../../storage/step-persistence.js";
import { readTableViews, type TableView } from "./table-rows.js";

const STEP_TABLES = { 1: "api_keys", 2: "website_analyses", 3: "research_preferences", 4: "persona_data", 5: "platform_integrations", 6: null };

export interface StepView {
  readonly step_number: number;
  readonly title: string;
  readonly status: string;
  readonly completed_at: string | null;
  readonly validation_errors: readonly string[];
  readonly table: string | null;
  readonly data_updated_at: string | null;
  /** Step 1 shows masked keys only. */
  readonly data: JsonObject | null;
}

export interface KeyVersionView {
  readonly provider: string;
  readonly key_version: number;
  /** Sealed with ENCRYPTION_KEY; false means an older key that rotate-encryption-key re-seals. */
  readonly on_current_key: boolean;
}

export interface UserInspection {
  readonly user_id: string;
  readonly current_step: number;
  readonly completion_percentage: number;
  readonly is_completed: boolean;
  readonly completed_at: string | null;
  readonly started_at: string;
  readonly updated_at: string;
  readonly steps: readonly StepView[];
  /** Each stored key's version beside ENCRYPTION_KEY's (`current_key_version`). */
  readonly api_key_versions: { readonly current_key_version: number; readonly keys: readonly KeyVersionView[] };
  readonly tables: readonly TableView[];
}

/** What the database holds for one user, by step and by table; null when the user has no session. */
export async function inspectUser(
  database: Database,
  steps: readonly StepPersistence[],
  userId: string,
  currentKeyVersion: number,
): Promise<UserInspection | null> {
  const record = await new DatabaseStore(database, steps).read(userId);
  if (record === null) return null;
  const tables = await database.readTransaction(async (trx) => {
    const session = await trx.selectFrom("onboarding_sessions").select("id").where("user_id", "=", userId).executeTakeFirst();
    return session === undefined ? [] : readTableViews(trx, session.id);
  });
  return {
    user_id: record.userId,
    current_step: currentStep(record),
    completion_percentage: completionPercentage(record),
    is_completed: record.completedAt !== null,
    completed_at: record.completedAt,
    started_at: record.startedAt,
    updated_at: record.updatedAt,
    steps: record.steps.map(stepView),
    api_key_versions: { current_key_version: currentKeyVersion, keys: keyVersions(record.steps[0]?.data ?? null, currentKeyVersion) },
    tables,
  };
}

function stepView(step: StepRecord): StepView {
  return {
    step_number: step.stepNumber,
    title: STEP_CATALOGUE[step.stepNumber].title,
    status: step.status,
    completed_at: step.completedAt,
    validation_errors: step.validationErrors,
    table: STEP_TABLES[step.stepNumber],
    data_updated_at: step.updatedAt,
    data: step.stepNumber === 1 ? maskedKeys(step.data) : step.data,
  };
}

function keyVersions(data: JsonObject | null, currentKeyVersion: number): KeyVersionView[] {
  return Object.entries(storedKeys(data)).map(([provider, key]) => ({
    provider,
    key_version: key.key_version,
    on_current_key: key.key_version === currentKeyVersion,
  }));
}

function maskedKeys(data: JsonObject | null): JsonObject | null {
  if (data === null) return null;
  return { api_keys: Object.fromEntries(Object.entries(storedKeys(data)).map(([provider, key]) => [provider, maskStoredKey(key)])) };
}

