import { queryOptions } from "@tanstack/react-query";
import { apiRequest, ONBOARDING } from "@/shared/api/api-client";

/** One provider of step 1 with what a person needs to get its key. */
export interface ProviderGuide {
  readonly provider: string;
  readonly label: string;
  readonly group: string;
  readonly url: string;
  readonly description: string;
  readonly setup_steps: readonly string[];
  readonly configured: boolean;
  readonly source: "database" | "environment" | null;
}

/** GET /providers: step 1's rows, and the names the summary shows. */
export const providersQuery = queryOptions({
  queryKey: ["providers"],
  queryFn: () => apiRequest<ProviderGuide[]>("GET", `${ONBOARDING}/providers`),
});
