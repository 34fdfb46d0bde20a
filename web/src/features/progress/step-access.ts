import type { StepView } from "@server/onboarding/onboarding-view";
import type { StepNumber } from "@server/onboarding/step-catalogue";
import { isDone, isLocked } from "@server/onboarding/step-rules";

export type StepSummary = Pick<StepView, "step_number" | "title" | "status">;

/** How the nav shows a step: the server's own rules (src/onboarding/step-rules.ts) on what /init answered. */
export type StepAccess = "done" | "open" | "locked";

export function stepAccess(steps: readonly StepSummary[], stepNumber: number): StepAccess {
  const step = steps.find((s) => s.step_number === stepNumber);
  if (step !== undefined && isDone(step)) return "done";
  const states = { steps: steps.map((s) => ({ stepNumber: s.step_number as StepNumber, status: s.status })) };
  return isLocked(states, stepNumber as StepNumber) ? "locked" : "open";
}
