import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { stepPersistences } from "../../composition/step-registry.js";
import type { SecretCipher } from "../../crypto/secret-cipher.js";
import type { Database } from "../../db/database.js";
import { completeStep, saveStepData } from "../../onboarding/step-transitions.js";
import { createOnboardingStore } from "../../storage/create-onboarding-store.js";
import { StorageMetrics } from "../../storage/storage-metrics.js";
import { sampleStepData, sealedKeys } from "../../test-support/sample-steps.js";

/** TEST-ONLY: a `dual` deployment whose files mirror the database, for the retirement tests. */
export async function seedDualDeployment(database: Database, cipher: SecretCipher, dir: string, users: readonly string[]): Promise<void> {
  const steps = stepPersistences(cipher);
  const store = createOnboardingStore({ mode: "dual", database, progressDir: dir, steps, logger: console, metrics: new StorageMetrics() });
  for (const [i, user] of users.entries()) {
    await store.update(user, (r, now) => completeStep(r, 1, sealedKeys(cipher, user, { openai: `sk-retire-${String(i).padStart(4, "0")}` }), () => [], now));
    for (const n of [2, 3] as const) await store.update(user, (r, now) => completeStep(r, n, sampleStepData(n, user), () => [], now));
    await store.update(user, (r, now) => saveStepData(r, 4, sampleStepData(4, user), now));
  }
  await store.settled();
}

/** Every file of a folder, name → bytes (hidden names included: progress files start with a dot). */
export function folderBytes(dir: string): Map<string, Buffer> {
  return new Map(readdirSync(dir).sort().map((name) => [name, readFileSync(join(dir, name))]));
}
