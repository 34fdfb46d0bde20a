import { plainStep } from "../../onboarding/step-definition.js";
import { integrationsStepSchema } from "./integrations-schema.js";

/** Step 5 is optional: it is skipped with POST /step/5/skip, or completed with its (possibly empty) lists. */
export const integrationsDefinition = plainStep(5, "Integrations", integrationsStepSchema as never);
