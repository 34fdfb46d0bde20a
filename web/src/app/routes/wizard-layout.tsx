import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useRoute } from "wouter";
import { useSession } from "@/app/session";
import { onboardingQuery, type OnboardingState } from "@/features/progress/api/get-onboarding";
import { ProgressNav } from "@/features/progress/components/progress-nav";
import { Button } from "@/shared/components/button";
import { StepPlaceholder } from "@/shared/components/step-frame";

/** Where the user is, from the server alone (GET /init); the routes inside render once it is known. */
export function useOnboardingState(): OnboardingState {
  const { data } = useQuery(onboardingQuery);
  if (data === undefined) throw new Error("useOnboardingState outside WizardLayout");
  return data;
}

/** The signed-in frame: the top bar, the progress nav beside (or above, on a phone) the step. */
export function WizardLayout({ children }: { readonly children: ReactNode }) {
  const session = useSession();
  const state = useQuery(onboardingQuery);
  const [onStep, params] = useRoute("/step/:n");
  const viewing = onStep ? Number(params.n) : null;

  return (
    <div className="shell">
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">
          <span className="brand-mark" aria-hidden="true">
            ✓
          </span>
          Workspace setup
        </span>
        <span className="topbar-user">
          {state.data !== undefined && (
            <span className="user-id">
              Signed in as <strong>{state.data.user.id}</strong>
            </span>
          )}
          <Button variant="quiet" onClick={() => session.signOut()}>
            Sign out
          </Button>
        </span>
      </header>
      <div className="layout">
        {state.data !== undefined && (
          <aside className="sidebar">
            <ProgressNav steps={state.data.onboarding.steps} viewing={viewing} percentage={state.data.onboarding.completion_percentage} />
          </aside>
        )}
        <main id="main" className="content" tabIndex={-1}>
          {state.isError ? (
            <StepPlaceholder error={state.error.message} onRetry={() => void state.refetch()} />
          ) : state.data === undefined ? (
            <StepPlaceholder />
          ) : (
            children
          )}
        </main>
      </div>
    </div>
  );
}
