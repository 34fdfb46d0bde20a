import { queryOptions } from "@tanstack/react-query";
import type { Summary } from "@server/steps/summary/build-summary";
import { apiRequest, ONBOARDING } from "@/shared/api/api-client";

/** SPEC §5's core fields; the API may add more, which the page ignores. */
export type { Summary };

/** GET /summary: steps 1-5 as the database holds them. */
export const summaryQuery = queryOptions({
  queryKey: ["summary"],
  queryFn: () => apiRequest<Summary>("GET", `${ONBOARDING}/summary`),
});
