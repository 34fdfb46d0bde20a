import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiRequest, ONBOARDING } from "@/shared/api/api-client";

/** DELETE /api-keys/{provider}. */
export function useDeleteApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (provider: string) => apiRequest<void>("DELETE", `${ONBOARDING}/api-keys/${encodeURIComponent(provider)}`),
    onSuccess: () => queryClient.invalidateQueries(),
  });
}
