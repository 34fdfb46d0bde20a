import { useMutation, useQueryClient } from "@tanstack/react-query";
import { apiRequest, ONBOARDING } from "@/shared/api/api-client";

/** POST /api-keys: saves one key (encrypted); the answer holds only its mask. */
export function useSaveApiKey() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { provider: string; api_key: string }) =>
      apiRequest<{ provider: string; masked: string }>("POST", `${ONBOARDING}/api-keys`, body),
    onSuccess: () => queryClient.invalidateQueries(),
  });
}
