import type { SecretCipher } from "../crypto/secret-cipher.js";
import type { StepPersistence } from "../storage/step-persistence.js";
import { apiKeysPersistence } from "../steps/api-keys/api-keys-persistence.js";
import { integrationsPersistence } from "../steps/integrations/integrations-persistence.js";
import { personaPersistence } from "../steps/persona/persona-persistence.js";
import { researchPreferencesPersistence } from "../steps/research-preferences/research-preferences-persistence.js";
import { websiteAnalysisPersistence } from "../steps/website-analysis/website-analysis-persistence.js";

/** How each data step is stored. Storage receives this list and never imports a step itself. */
export function stepPersistences(cipher: SecretCipher): readonly StepPersistence[] {
  return [
    apiKeysPersistence(cipher),
    websiteAnalysisPersistence,
    researchPreferencesPersistence,
    personaPersistence,
    integrationsPersistence,
  ];
}
