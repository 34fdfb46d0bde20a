import { queryOptions } from "@tanstack/react-query";
import { apiRequest, ONBOARDING } from "@/shared/api/api-client";

/** Only the masks are read: the page never depends on the counts' types. */
export interface SavedKeys {
  readonly api_keys: Readonly<Record<string, string>>;
}

/** GET /api-keys: the saved keys, masked. */
export const savedKeysQuery = queryOptions({
  queryKey: ["api-keys"],
  queryFn: () => apiRequest<SavedKeys>("GET", `${ONBOARDING}/api-keys`),
});
