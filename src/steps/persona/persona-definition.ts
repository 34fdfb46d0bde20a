import { plainStep } from "../../onboarding/step-definition.js";
import { personaStepSchema } from "./persona-schema.js";

export const personaDefinition = plainStep(4, "Persona data", personaStepSchema as never);
