import { lazy, Suspense, useEffect } from "react";
import { Redirect } from "wouter";
import { useSession } from "@/app/session";
import { DevSignIn } from "@/features/auth/components/dev-sign-in";
import { paths } from "@/shared/paths";

const ClerkSignIn = lazy(() => import("@/features/auth/components/clerk-session").then((m) => ({ default: m.ClerkSignIn })));

/** Sign-in: the dev form or Clerk's, in the same frame; a signed-in user goes on to their step. */
export function SignInRoute() {
  const session = useSession();
  useEffect(() => {
    document.title = "Sign in · Onboarding";
  }, []);
  if (session.status === "signed-in") return <Redirect to={paths.home} replace />;
  return (
    <main className="sign-in-page">
      <section className="card sign-in-card" aria-labelledby="sign-in-title">
        <span className="brand-mark brand-mark-large" aria-hidden="true">
          ✓
        </span>
        <h1 id="sign-in-title">Set up your writing workspace</h1>
        <p className="lead">Six short steps: your AI keys, your website&rsquo;s style, research habits, a persona and your platforms.</p>
        {session.mode === "dev" ? (
          <DevSignIn notice={session.notice} onSignedIn={session.signedIn} />
        ) : session.status === "unavailable" ? (
          <p role="alert" className="notice notice-warning sign-in-notice">
            <strong>Sign-in is not available right now.</strong> {session.unavailable}
          </p>
        ) : (
          <>
            {session.notice !== undefined && <p className="notice notice-warning">{session.notice}</p>}
            <Suspense fallback={<p role="status">Loading sign-in…</p>}>
              <ClerkSignIn />
            </Suspense>
          </>
        )}
      </section>
    </main>
  );
}
