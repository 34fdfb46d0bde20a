import { useMutation } from "@tanstack/react-query";
import { apiRequest } from "@/shared/api/api-client";

/** POST /api/dev/token (dev auth mode only): a session token for any user id. */
export function useCreateDevToken() {
  return useMutation({
    mutationFn: (userId: string) => apiRequest<{ token: string }>("POST", "/api/dev/token", { user_id: userId }),
  });
}
