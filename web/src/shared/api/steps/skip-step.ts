import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiRequest, ONBOARDING } from "@/shared/api/api-client";

/** POST /step/{n}/skip: only the optional step 5 may be skipped. */
export function useSkipStep(stepNumber: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiRequest<{ message: string; step_number: number }>("POST", `${ONBOARDING}/step/${stepNumber}/skip`),
    onSuccess: () => queryClient.invalidateQueries(),
  });
}
