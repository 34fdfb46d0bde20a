import { useMutation } from "@tanstack/react-query";
import type { KeyCheckAnswer } from "@server/steps/api-keys/api-keys-schema";
import { apiRequest, ONBOARDING } from "@/shared/api/api-client";

/** POST /api-keys/{provider}/check: asks the provider whether it accepts the saved key. */
export function useCheckApiKey() {
  return useMutation({
    mutationFn: (provider: string) => apiRequest<KeyCheckAnswer>("POST", `${ONBOARDING}/api-keys/${encodeURIComponent(provider)}/check`, {}),
  });
}
