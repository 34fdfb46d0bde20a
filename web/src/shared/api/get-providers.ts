import { queryOptions } from "@tanstack/react-query";
import type { ProviderGuide as Guide } from "@server/steps/api-keys/provider-guide";
import { apiRequest, ONBOARDING } from "@/shared/api/api-client";

/** One provider of step 1 with what a person needs to get its key, and whether it has one. */
export interface ProviderGuide extends Guide {
  readonly provider: string;
  readonly configured: boolean;
  readonly source: "database" | "environment" | null;
}

/** GET /providers: step 1's rows, and the names the summary shows. */
export const providersQuery = queryOptions({
  queryKey: ["providers"],
  queryFn: () => apiRequest<ProviderGuide[]>("GET", `${ONBOARDING}/providers`),
});
