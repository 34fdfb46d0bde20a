import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiRequest, ONBOARDING } from "@/shared/api/api-client";

/** POST /complete: idempotent, so a second click answers the same `completed_at`. */
export function useCompleteOnboarding() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => apiRequest<{ message: string; completed_at: string }>("POST", `${ONBOARDING}/complete`),
    onSuccess: () => queryClient.invalidateQueries(),
  });
}
