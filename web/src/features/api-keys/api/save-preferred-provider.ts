import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiRequest, ONBOARDING } from "@/shared/api/api-client";

/** PUT /step/1 with no new key: sets (or, with null, clears) which saved model key drives the model. */
export function useSavePreferredProvider() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (preferred: string | null) => apiRequest<unknown>("PUT", `${ONBOARDING}/step/1`, { data: { api_keys: {}, preferred_provider: preferred } }),
    onSuccess: () => queryClient.invalidateQueries(),
  });
}
