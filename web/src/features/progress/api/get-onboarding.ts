import { queryOptions } from "@tanstack/react-query";
import type { ProgressView, StatusView } from "@server/onboarding/onboarding-view";
import { apiRequest, ONBOARDING } from "@/shared/api/api-client";

/** GET /init: who the user is and where they are, every step's status; the first screen's one call. */
export interface OnboardingState {
  readonly user: { readonly id: string };
  readonly onboarding: ProgressView & StatusView;
}

export const onboardingQuery = queryOptions({
  queryKey: ["onboarding"],
  queryFn: () => apiRequest<OnboardingState>("GET", `${ONBOARDING}/init`),
});
