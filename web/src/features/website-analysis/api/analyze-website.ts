import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { JsonObject } from "@server/onboarding/onboarding-record";
import { apiRequest, ONBOARDING } from "@/shared/api/api-client";

/** The answer: the analysis with its status (a page that cannot be read is `failed` with the reason). */
export type WebsiteAnalysis = JsonObject & {
  readonly status?: "completed" | "failed" | "in_progress";
  readonly error_message?: string | null;
  readonly warning_message?: string | null;
  readonly website_url?: string;
};

/** POST /website/analyze: fetches and analyses the site; the server keeps it as step 2's draft. */
export function useAnalyzeWebsite() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (website: string) => apiRequest<WebsiteAnalysis>("POST", `${ONBOARDING}/website/analyze`, { website }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["onboarding"] }),
  });
}
