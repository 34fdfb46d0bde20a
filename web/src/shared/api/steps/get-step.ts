import { queryOptions } from "@tanstack/react-query";
import type { StepView } from "@server/onboarding/onboarding-view";
import { apiRequest, ONBOARDING } from "@/shared/api/api-client";

export type { StepView };

/** GET /step/{n}: one step with its saved data (keys masked). Shared by every step's screen. */
export function stepQuery(stepNumber: number) {
  return queryOptions({
    queryKey: ["step", stepNumber],
    queryFn: () => apiRequest<StepView>("GET", `${ONBOARDING}/step/${stepNumber}`),
  });
}
