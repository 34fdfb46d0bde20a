import { queryOptions } from "@tanstack/react-query";
import { apiRequest } from "@/shared/api/api-client";

/** GET /api/web-config (src/http/routes/web-config-routes.ts). */
export interface WebConfig {
  readonly auth_mode: "dev" | "clerk";
  readonly clerk_publishable_key: string | null;
}

export const webConfigQuery = queryOptions({
  queryKey: ["web-config"],
  queryFn: () => apiRequest<WebConfig>("GET", "/api/web-config"),
  staleTime: Infinity,
});
