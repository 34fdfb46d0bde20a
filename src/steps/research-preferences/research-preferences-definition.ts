import { plainStep } from "../../onboarding/step-definition.js";
import { researchPreferencesStepSchema } from "./research-preferences-schema.js";

export const researchPreferencesDefinition = plainStep(3, "Research preferences", researchPreferencesStepSchema as never);
