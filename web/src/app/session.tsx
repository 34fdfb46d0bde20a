import { useQuery, useQueryClient } from "@tanstack/react-query";
import { createContext, lazy, Suspense, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { webConfigQuery } from "@/features/auth/api/get-web-config";
import type { ClerkStatus } from "@/features/auth/components/clerk-session";
import { onUnauthorized } from "@/shared/api/unauthorized";
import { hasDevToken, signOutOfSource } from "@/shared/auth/session-token";
import { PageLoading } from "@/shared/components/status-notes";

export type SessionStatus = ClerkStatus;

export interface Session {
  readonly mode: "dev" | "clerk";
  readonly status: SessionStatus;
  /** Shown on the sign-in screen: why the user is there again (an expired session). */
  readonly notice: string | undefined;
  /** Why sign-in is unavailable (status "unavailable"). */
  readonly unavailable: string | undefined;
  /** Dev mode: the token is kept; the wizard opens. */
  readonly signedIn: () => void;
  readonly signOut: (notice?: string) => void;
}

const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (session === null) throw new Error("useSession outside SessionProvider");
  return session;
}

const ClerkSession = lazy(() => import("@/features/auth/components/clerk-session").then((m) => ({ default: m.ClerkSession })));

const EXPIRED = "Your session has ended. Sign in again to pick up where you left off.";

/**
 * Who is signed in, in the server's auth mode (GET /api/web-config). Every 401 of the API signs
 * the user out with a message; signing in or out empties the query cache, so one user never sees
 * what the previous one loaded.
 */
export function SessionProvider({ children }: { readonly children: ReactNode }) {
  const config = useQuery(webConfigQuery);
  const queryClient = useQueryClient();
  const [devStatus, setDevStatus] = useState<SessionStatus>(() => (hasDevToken() ? "signed-in" : "signed-out"));
  const [clerkStatus, setClerkStatus] = useState<SessionStatus>("loading");
  const [notice, setNotice] = useState<string>();
  const mode = config.data?.auth_mode ?? "dev";
  const status = mode === "dev" ? devStatus : config.data?.clerk_publishable_key === null ? "unavailable" : clerkStatus;

  const signOut = useCallback(
    (message?: string) => {
      void signOutOfSource();
      queryClient.clear();
      setNotice(message);
      setDevStatus("signed-out");
    },
    [queryClient],
  );
  const signedIn = useCallback(() => {
    queryClient.clear();
    setNotice(undefined);
    setDevStatus("signed-in");
  }, [queryClient]);

  useEffect(() => onUnauthorized(() => signOut(EXPIRED)), [signOut]);

  const unavailable =
    status !== "unavailable"
      ? undefined
      : config.data?.clerk_publishable_key === null
        ? "This server has no CLERK_PUBLISHABLE_KEY, so the page cannot offer Clerk's sign-in. The API works as before."
        : "Clerk's sign-in could not be loaded. Check your connection, then reload the page.";
  const session = useMemo<Session>(
    () => ({ mode, status, notice, unavailable, signedIn, signOut }),
    [mode, status, notice, unavailable, signedIn, signOut],
  );

  if (config.isError) return <p className="boot-error">{config.error.message}</p>;
  if (config.data === undefined) return <PageLoading />;
  const key = config.data.clerk_publishable_key;
  if (mode === "dev" || key === null) return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
  return (
    <Suspense fallback={<PageLoading />}>
      <ClerkSession publishableKey={key} onStatus={setClerkStatus}>
        <SessionContext.Provider value={session}>{children}</SessionContext.Provider>
      </ClerkSession>
    </Suspense>
  );
}
