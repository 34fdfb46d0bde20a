import type { SecretCipher } from "../crypto/secret-cipher.js";
import type { StepDefinition } from "../onboarding/step-definition.js";
import type { StepPersistence } from "../storage/step-persistence.js";
import { apiKeysDefinition } from "../steps/api-keys/api-keys-definition.js";
import { integrationsDefinition } from "../steps/integrations/integrations-definition.js";
import { personaDefinition } from "../steps/persona/persona-definition.js";
import { researchPreferencesDefinition } from "../steps/research-preferences/research-preferences-definition.js";
import { websiteAnalysisDefinition } from "../steps/website-analysis/website-analysis-definition.js";
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

/** What each data step tells the generic step routes. */
export function stepDefinitions(cipher: SecretCipher): readonly StepDefinition[] {
  return [apiKeysDefinition(cipher), websiteAnalysisDefinition, researchPreferencesDefinition, personaDefinition, integrationsDefinition];
}
