import { ClerkFailed, ClerkLoaded, ClerkLoading, ClerkProvider, SignIn, useAuth } from "@clerk/react";
import { useEffect, type ReactNode } from "react";
import { setTokenSource } from "@/shared/auth/session-token";
import { paths } from "@/shared/paths";

/**
 * The Clerk seam (clerk auth mode only; loaded lazily, so dev mode never downloads it). Clerk's
 * React SDK loads Clerk's script from the instance named by the publishable key; once loaded, its
 * `getToken()` becomes the page's token source (shared/auth/session-token.ts) and its sign-in
 * state the app's. Everything else in the page is the same in both modes.
 */
export type ClerkStatus = "loading" | "signed-in" | "signed-out" | "unavailable";

interface ClerkSessionProps {
  readonly publishableKey: string;
  readonly onStatus: (status: ClerkStatus) => void;
  readonly children: ReactNode;
}

export function ClerkSession({ publishableKey, onStatus, children }: ClerkSessionProps) {
  return (
    <ClerkProvider publishableKey={publishableKey} telemetry={false} afterSignOutUrl={paths.signIn}>
      <ClerkLoading>
        <Report status="loading" onStatus={onStatus} />
      </ClerkLoading>
      <ClerkFailed>
        <Report status="unavailable" onStatus={onStatus} />
      </ClerkFailed>
      <ClerkLoaded>
        <TokenBridge onStatus={onStatus} />
      </ClerkLoaded>
      {children}
    </ClerkProvider>
  );
}

/**
 * Clerk's own sign-in form, inside the page's sign-in screen. Its inner steps (second factor …) live
 * in the URL's hash (`/sign-in#/factor-one`): the page's router and the server see only /sign-in.
 */
export function ClerkSignIn() {
  return <SignIn routing="hash" forceRedirectUrl={paths.home} />;
}

function Report({ status, onStatus }: { readonly status: ClerkStatus; readonly onStatus: (status: ClerkStatus) => void }) {
  useEffect(() => onStatus(status), [status, onStatus]);
  return null;
}

function TokenBridge({ onStatus }: { readonly onStatus: (status: ClerkStatus) => void }) {
  const { isSignedIn, getToken, signOut } = useAuth();
  useEffect(() => {
    setTokenSource({ getToken: () => getToken(), signOut: () => signOut() });
    onStatus(isSignedIn === true ? "signed-in" : "signed-out");
  }, [isSignedIn, getToken, signOut, onStatus]);
  return null;
}
