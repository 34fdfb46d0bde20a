import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiRequest, ONBOARDING } from "@/shared/api/api-client";

export interface CompleteStepAnswer {
  readonly message: string;
  readonly step_number: number;
  readonly warnings: readonly string[];
}

/** POST /step/{n}/complete: saves `data` when given, completes the step; anything shown may change. */
export function useCompleteStep(stepNumber: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (data?: object) =>
      apiRequest<CompleteStepAnswer>("POST", `${ONBOARDING}/step/${stepNumber}/complete`, data === undefined ? {} : { data }),
    onSuccess: () => queryClient.invalidateQueries(),
  });
}
